/* The map background, shared by every map of the site: tiles when a tile URL is configured, else the
   département outlines served by the app, so maps work offline and send nothing to a third party. */
(function () {
  "use strict";
  window.carrefourMapBackground = function (map, config) {
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
      return;
    }
    fetch(config.outlinesUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        L.geoJSON(data, {
          interactive: false,
          style: { color: "#5a6470", weight: 1, fillColor: "#eef1f4", fillOpacity: 1 }
        }).addTo(map).bringToBack();
      })
      .catch(function () { /* the markers stay usable without a background */ });
  };
})();
