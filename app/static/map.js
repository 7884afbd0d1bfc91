// The chain map page: draws the network whose nodes and edges the page carries as JSON.
(function () {
  var nodes = new vis.DataSet(JSON.parse(document.getElementById("map-nodes").textContent));
  var edges = new vis.DataSet(JSON.parse(document.getElementById("map-edges").textContent));
  var container = document.getElementById("chain-map");
  var options = {
    physics: false,
    layout: { improvedLayout: false },
    interaction: { hover: true, tooltipDelay: 120, navigationButtons: false, keyboard: true },
    edges: { smooth: { type: "cubicBezier", forceDirection: "horizontal", roundness: 0.4 },
             arrows: { to: { scaleFactor: 0.6 } } },
    nodes: { widthConstraint: { maximum: 170 } }
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  network.once("afterDrawing", function () { window.chainMapDrawn = true; document.body.dataset.drawn = "1"; });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length) { return; }
    var id = String(params.nodes[0]);
    if (id.indexOf("stage:") === 0) { return; }
    window.top.location.href = "/nodes/" + encodeURIComponent(id);
  });
  window.chainMap = network;
})();
