// Interactive provenance graph: time left to right, one lane per outlet (positions come
// from the server), drawn with the vendored Cytoscape.js. Clicking an article opens it.
(function () {
  "use strict";
  var box = document.getElementById("cy");
  if (!box || typeof cytoscape !== "function") { return; }
  fetch(box.getAttribute("data-src"), {credentials: "same-origin"})
    .then(function (r) { return r.json(); })
    .then(function (g) {
      var els = [];
      g.lanes.forEach(function (name, i) {
        els.push({data: {id: "lane-" + i, label: name, lane: 1}, position: {x: 60, y: 30 + 34 * i},
                  selectable: false, grabbable: false});
      });
      g.nodes.forEach(function (n) {
        els.push({data: {id: n.id, label: n.kind === "source" ? n.label : "", kind: n.kind,
                         origin: n.origin ? 1 : 0, href: n.href || "", title: n.title || n.label},
                  position: {x: n.x, y: n.y}});
      });
      g.edges.forEach(function (e, i) {
        els.push({data: {id: "e" + i, source: e.source, target: e.target, kind: e.kind,
                         uncredited: e.uncredited ? 1 : 0}});
      });
      var cy = cytoscape({
        container: box, elements: els, layout: {name: "preset"}, wheelSensitivity: 0.3,
        style: [
          {selector: "node", style: {"width": 12, "height": 12, "background-color": "#5d6d7e",
            "border-width": 0.6, "border-color": "#222", "label": "data(label)", "font-size": 10,
            "text-valign": "top", "color": "#2471a3"}},
          {selector: "node[origin = 1]", style: {"background-color": "#f5b041", "border-width": 3,
            "border-color": "#b9770e", "width": 16, "height": 16}},
          {selector: "node[kind = 'source']", style: {"shape": "rectangle", "background-color": "#fff",
            "border-color": "#2471a3", "border-width": 1.5}},
          {selector: "node[lane = 1]", style: {"shape": "rectangle", "width": 1, "height": 1,
            "background-opacity": 0, "border-width": 0, "text-halign": "left", "text-valign": "center",
            "color": "#34495e", "font-size": 11}},
          {selector: "edge", style: {"width": 1.3, "curve-style": "bezier", "target-arrow-shape": "triangle",
            "line-color": "#c0392b", "target-arrow-color": "#c0392b", "arrow-scale": 0.8}},
          {selector: "edge[uncredited = 1]", style: {"width": 3}},
          {selector: "edge[kind = 'cites']", style: {"line-color": "#2471a3", "target-arrow-color": "#2471a3",
            "line-style": "dashed"}},
          {selector: "edge[kind = 'shares-text']", style: {"line-color": "#8e44ad",
            "target-arrow-color": "#8e44ad", "line-style": "dotted"}},
          {selector: "edge[kind = 'duplicate']", style: {"line-color": "#7f8c8d", "target-arrow-color": "#7f8c8d"}}
        ]
      });
      cy.on("tap", "node[kind = 'article']", function (evt) {
        var href = evt.target.data("href");
        if (href && href.charAt(0) === "/") { window.location.href = href; }
      });
      cy.on("mouseover", "node[kind = 'article']", function (evt) {
        box.setAttribute("title", evt.target.data("title"));
      });
      box.setAttribute("data-rendered", String(cy.nodes("[kind = 'article']").length));
    });
}());
