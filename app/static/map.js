/* the chain map: vis-network over the nodes and edges the page carries as JSON */
(function () {
  "use strict";
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }
  var nodes = new vis.DataSet(data("map-nodes"));
  var edges = new vis.DataSet(data("map-edges"));
  var container = document.getElementById("chain-map");
  var options = {
    physics: false,
    layout: { improvedLayout: false },
    interaction: { hover: true, tooltipDelay: 120, navigationButtons: false, keyboard: true },
    edges: { smooth: { type: "cubicBezier", forceDirection: "horizontal", roundness: 0.45 },
             arrows: { to: { scaleFactor: 0.6 } } },
    nodes: { widthConstraint: { maximum: 190 } }
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  var withFirms = document.body.getAttribute("data-enterprises") === "true";
  // whole chain when it is legible; otherwise start at the top left at a readable zoom
  // (100 % with enterprises, so that their names read as text does), the rest by panning
  network.once("afterDrawing", function () {
    var least = withFirms ? 1 : 0.6;
    if (network.getScale() < least) {
      var box = { x: Infinity, y: Infinity };
      nodes.forEach(function (n) { box.x = Math.min(box.x, n.x); box.y = Math.min(box.y, n.y); });
      network.moveTo({
        scale: least,
        position: { x: box.x - 100 + container.clientWidth / (2 * least), y: box.y - 30 + container.clientHeight / (2 * least) }
      });
    }
    network.once("afterDrawing", function () { window.chainMapDrawn = true; document.body.dataset.drawn = "1"; });
    network.redraw();
  });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length) { return; }
    var id = String(params.nodes[0]);
    if (id.indexOf("stage:") === 0) { return; }
    if (id.indexOf("more:") === 0) { id = id.slice(5); }
    window.top.location.href = "/nodes/" + encodeURIComponent(id);
  });
  // printing (the chain page's print stylesheet): the whole chain, redrawn at the paper's size
  function wholeChain() {
    network.setSize("100%", "100%");
    network.fit({ animation: false });
    network.redraw();
  }
  window.addEventListener("beforeprint", wholeChain);
  var printing = window.matchMedia("print");
  if (printing.addEventListener) {
    printing.addEventListener("change", function (ev) { if (ev.matches) { wholeChain(); } });
  }
  window.chainMap = network;
})();
