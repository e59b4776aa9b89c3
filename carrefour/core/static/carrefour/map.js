/* Small Leaflet map of an initiative's locations, over the shared background (map-background.js). */
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
  window.carrefourMapBackground(map, config);
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
