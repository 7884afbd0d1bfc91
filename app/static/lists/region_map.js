/* 区域分布图: Jiangxi's 市 (or 县) coloured by the chosen figure for the chain or link;
   click a region to open that region's diagnosis. Data and boundaries come from the app. */
(function () {
  "use strict";
  var box = document.getElementById("region-map");
  if (!box || !window.echarts) { return; }
  var figureSel = document.getElementById("figure");
  var levelSel = document.getElementById("level");
  var tbody = document.querySelector("#map-table tbody");
  var STATUS = { strong: ["强链", "#2e7d32"], weak: ["弱链", "#f0a202"], missing: ["缺链", "#9e9e9e"], broken: ["断链", "#c62828"] };
  var chart = echarts.init(box, null, { renderer: "canvas" });
  var data = null;

  function fmt(unit, key) {
    var v = unit[key];
    if (key === "local_rate") { return (v * 100).toFixed(1) + "%"; }
    if (key === "status") { return v ? STATUS[v][0] : "—"; }
    return String(v);
  }

  function cell(text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    return td;
  }

  function table(units) {
    tbody.textContent = "";
    units.forEach(function (u) {
      var tr = document.createElement("tr");
      var a = document.createElement("a");
      a.href = "/chains/" + encodeURIComponent(data.chain_id) + "?region=" + encodeURIComponent(u.region);
      a.textContent = u.name;
      var first = document.createElement("td");
      first.appendChild(a);
      tr.appendChild(first);
      tr.appendChild(cell(String(u.firms), "num"));
      tr.appendChild(cell(String(u.revenue), "num"));
      tr.appendChild(cell(fmt(u, "local_rate"), "num"));
      tr.appendChild(cell(fmt(u, "status")));
      tr.appendChild(cell(u.parks.map(function (p) { return p.name + "（" + (p.level || "园区") + "，" + p.firms + "家）"; }).join("、")));
      tbody.appendChild(tr);
    });
  }

  function draw() {
    var figure = figureSel.value;
    var level = levelSel.value;
    var units = data.units.filter(function (u) { return u.level === level; });
    var series = units.map(function (u) {
      var value = figure === "status" ? ["strong", "weak", "missing", "broken"].indexOf(u.status || "missing") : u[figure];
      return { name: u.name, value: value, unit: u };
    });
    var visual;
    if (figure === "status") {
      visual = { type: "piecewise", pieces: [0, 1, 2, 3].map(function (i) {
        var key = ["strong", "weak", "missing", "broken"][i];
        return { value: i, label: STATUS[key][0], color: STATUS[key][1] };
      }), left: 8, bottom: 8 };
    } else {
      var max = Math.max.apply(null, series.map(function (s) { return s.value; }).concat([figure === "local_rate" ? 1 : 1]));
      visual = { type: "continuous", min: 0, max: max, left: 8, bottom: 8, calculable: true,
        text: ["高", "低"], inRange: { color: ["#eef3f8", "#9ec5e8", "#1a3a5c"] },
        formatter: function (v) { return figure === "local_rate" ? (v * 100).toFixed(0) + "%" : v.toFixed(figure === "revenue" ? 1 : 0); } };
    }
    chart.setOption({
      tooltip: { trigger: "item", formatter: function (p) {
        var u = p.data && p.data.unit;
        if (!u) { return p.name; }
        return u.name + "<br>本地企业 " + u.firms + " 家<br>本地营收 " + u.revenue + " 亿元<br>本地配套率 " + fmt(u, "local_rate") + (u.status ? "<br>环节状态 " + fmt(u, "status") : "");
      } },
      visualMap: visual,
      series: [{ type: "map", map: "jiangxi-" + level, roam: true, nameProperty: "name", layoutCenter: ["55%", "50%"], layoutSize: "96%",
        label: { show: level === "市", fontSize: 11 }, emphasis: { label: { show: true } },
        data: series }]
    }, true);
    table(units);
    box.setAttribute("data-drawn", String(units.length));
  }

  chart.on("click", function (p) {
    var u = p.data && p.data.unit;
    if (u) { window.location.href = "/chains/" + encodeURIComponent(data.chain_id) + "?region=" + encodeURIComponent(u.region); }
  });

  Promise.all([
    fetch(box.getAttribute("data-geo")).then(function (r) { return r.json(); }),
    fetch(box.getAttribute("data-src")).then(function (r) { return r.json(); })
  ]).then(function (res) {
    var geo = res[0];
    ["市", "县"].forEach(function (level) {
      echarts.registerMap("jiangxi-" + level, { type: "FeatureCollection",
        features: geo.features.filter(function (f) { return f.properties.level === level; }) });
    });
    data = res[1];
    draw();
  }).catch(function () {
    box.textContent = "地图数据加载失败，请刷新重试。";
  });
  figureSel.addEventListener("change", function () { if (data) { draw(); } });
  levelSel.addEventListener("change", function () { if (data) { draw(); } });
  window.addEventListener("resize", function () { chart.resize(); });
})();
