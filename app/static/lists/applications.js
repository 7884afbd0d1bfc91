/* 应用领域图 as a Sankey: links (left) feeding application fields (right), each flow coloured
   by the link's status. The table under it says the same in words. */
(function () {
  "use strict";
  var box = document.getElementById("app-sankey");
  if (!box || !window.echarts) { return; }
  var COLOR = { strong: "#2e7d32", weak: "#f0a202", missing: "#9e9e9e", broken: "#c62828" };
  fetch(box.getAttribute("data-src")).then(function (r) { return r.json(); }).then(function (d) {
    if (!d.items.length) { box.hidden = true; return; }
    var nodes = [], links = [], seen = {};
    function node(name, color) {
      if (!seen[name]) { seen[name] = true; nodes.push({ name: name, itemStyle: { color: color } }); }
    }
    d.items.forEach(function (a) {
      node("▶ " + a.name, a.status ? COLOR[a.status] : "#607d8b");
      a.links.forEach(function (l) {
        node(l.name, COLOR[l.status]);
        links.push({ source: l.name, target: "▶ " + a.name, value: 1, lineStyle: { color: COLOR[l.status], opacity: 0.45 } });
      });
    });
    box.style.height = Math.max(260, nodes.length * 16) + "px";
    var chart = echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "sankey", data: nodes, links: links, nodeGap: 6, left: 4, right: 140,
        label: { fontSize: 12 }, emphasis: { focus: "adjacency" } }]
    });
    box.setAttribute("data-drawn", String(d.items.length));
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
