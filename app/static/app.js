/* chainkg web UI: a little vanilla JS, no libraries. All text goes in with textContent. */
(function () {
  "use strict";
  var STATUS = { strong: "强链", weak: "弱链", missing: "缺链", broken: "断链" };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function chip(status) { return el("span", { "class": "chip st-" + status }, [STATUS[status] || status]); }
  function pct(v) { return (v * 100).toFixed(1) + "%"; }
  function show(box, nodes) { box.textContent = ""; nodes.forEach(function (n) { box.appendChild(n); }); }
  function errorBox(text) { return el("div", { "class": "error-box", role: "alert" }, [text]); }

  // the menu on narrow screens
  var menu = document.getElementById("menu-toggle");
  if (menu) {
    menu.addEventListener("click", function () {
      var header = menu.parentNode;
      var open = header.classList.toggle("open");
      menu.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // the region selector applies at once
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // the chain map: local enterprises on demand
  var toggle = document.getElementById("show-enterprises");
  var frame = document.getElementById("chain-map-frame");
  if (toggle && frame) {
    toggle.addEventListener("change", function () {
      var base = frame.getAttribute("data-base");
      frame.src = base + (base.slice(-1) === "?" ? "" : "&") + "enterprises=" + toggle.checked;
    });
  }

  // what-if
  var whatif = document.getElementById("whatif-form");
  if (whatif) {
    whatif.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var box = document.getElementById("whatif-result");
      var links = Array.prototype.map.call(whatif.elements.links.selectedOptions, function (o) { return o.value; });
      var body = { enterprise: whatif.elements.enterprise.value, links: links, region: whatif.getAttribute("data-region") || null };
      fetch(whatif.getAttribute("data-url"), {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
      }).then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (res) {
          if (!res.ok) { show(box, [errorBox(res.data.detail || "计算失败")]); return; }
          var d = res.data;
          var parts = [el("p", {}, [d.assumption || ""]),
            el("p", {}, ["本地配套率：" + pct(d.local_rate_before) + " → ", el("b", {}, [pct(d.local_rate_after)])])];
          if (d.changes.length) {
            parts.push(el("ul", { "class": "changes" }, d.changes.map(function (c) {
              return el("li", {}, [c.link + "：", chip(c.before), " → ", chip(c.after)]);
            })));
          } else {
            parts.push(el("p", { "class": "note" }, ["没有环节改变状态。"]));
          }
          show(box, [el("div", { "class": "ok-box" }, parts)]);
        }).catch(function () { show(box, [errorBox("无法连接服务")]); });
    });
  }

  // imports: validate first, then load, with the token
  var form = document.getElementById("import-form");
  if (form) {
    var mode = "check";
    form.querySelectorAll("button[name=mode]").forEach(function (b) {
      b.addEventListener("click", function () { mode = b.value; });
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var box = document.getElementById("import-result");
      var data = new FormData();
      Array.prototype.forEach.call(form.elements.files.files, function (f) { data.append("files", f, f.name); });
      var buttons = form.querySelectorAll("button");
      buttons.forEach(function (b) { b.disabled = true; });
      show(box, [el("p", { "class": "note" }, [mode === "check" ? "正在校验…" : "正在导入…"])]);
      fetch("/api/v1/imports?dry_run=" + (mode === "check"), {
        method: "POST", body: data, headers: { Authorization: "Bearer " + form.elements.token.value }
      }).then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); })
        .then(function (res) { show(box, report(res.ok, res.data, mode)); })
        .catch(function () { show(box, [errorBox("无法连接服务")]); })
        .finally(function () { buttons.forEach(function (b) { b.disabled = false; }); });
    });
  }

  function issuesTable(issues) {
    var rows = issues.map(function (i) {
      return el("tr", {}, [el("td", {}, [i.sheet || "—"]), el("td", { "class": "num" }, [i.row == null ? "—" : String(i.row)]),
        el("td", {}, [i.column || "—"]), el("td", {}, [i.message])]);
    });
    return el("table", { "class": "data", id: "import-issues" }, [
      el("thead", {}, [el("tr", {}, [el("th", {}, ["工作表"]), el("th", { "class": "num" }, ["行"]), el("th", {}, ["列"]), el("th", {}, ["问题"])])]),
      el("tbody", {}, rows)]);
  }

  function report(ok, d, mode) {
    if (!ok) {
      var out = [errorBox(d.detail || "导入失败")];
      if (d.issues && d.issues.length) { out.push(issuesTable(d.issues)); }
      return out;
    }
    var counts = Object.keys(d.counts.nodes || {}).map(function (k) { return k + " " + d.counts.nodes[k]; }).join("，");
    var text = mode === "check"
      ? "校验通过：" + d.files.join("、") + "，共 " + d.rows + " 行（" + counts + "）。确认无误后请点击“导入”。"
      : "导入完成：新增节点 " + d.written.nodes_created + "，更新 " + d.written.nodes_updated + "，新增关系 " + d.written.edges_created + "。";
    var parts = [el("div", { "class": "ok-box", id: "import-ok" }, [text])];
    if (d.warnings.length) { parts.push(el("h3", {}, ["提示（不影响导入）"]), issuesTable(d.warnings)); }
    return parts;
  }
})();
