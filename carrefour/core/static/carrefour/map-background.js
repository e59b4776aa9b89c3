/* The map background, shared by every map of the site: the département outlines served by the app, always drawn (in a
   pane below the tiles), and the tiles on top when a tile URL is configured. Maps thus work offline and keep their
   outlines when the tile server is down (R-REL-12). */
(function () {
  "use strict";
  window.carrefourMapBackground = function (map, config) {
    var pane = map.getPane("outlines") || map.createPane("outlines");
    pane.style.zIndex = 150; /* below the tile pane (200), the overlays and the markers */
    pane.style.pointerEvents = "none";
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
    }
    fetch(config.outlinesUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        L.geoJSON(data, {
          pane: "outlines",
          interactive: false,
          style: { color: "#5a6470", weight: 1, fillColor: "#eef1f4", fillOpacity: 1 }
        }).addTo(map);
      })
      .catch(function () { /* the markers stay usable without a background */ });
  };
})();
