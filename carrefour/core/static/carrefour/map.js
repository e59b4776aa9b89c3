/* Small Leaflet map of an initiative's locations. Tiles come from a setting; without one, the
   département outlines served by the app are the background, so the map works offline. */
(function () {
  "use strict";
  var container = document.getElementById("initiative-map");
  var pointsEl = document.getElementById("map-points");
  var configEl = document.getElementById("map-config");
  if (!container || !pointsEl || !configEl || typeof L === "undefined") return;
  var points = JSON.parse(pointsEl.textContent);
  var config = JSON.parse(configEl.textContent);
  L.Icon.Default.imagePath = config.iconPath;

  var map = L.map(container, { scrollWheelZoom: false });
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  } else {
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
  }
  var markers = points.map(function (point) {
    var marker = L.marker([point.lat, point.lon], { title: point.name + " — " + point.commune, alt: point.name });
    marker.bindPopup(document.createTextNode(point.name + " — " + point.commune));
    return marker.addTo(map);
  });
  var group = L.featureGroup(markers);
  if (markers.length === 1) {
    map.setView(markers[0].getLatLng(), 9);
  } else {
    map.fitBounds(group.getBounds().pad(0.3));
  }
})();
