/* The map of an initiative's replications (« Ses essaimages »), over the shared background (map-background.js). */
(function () {
  "use strict";
  var container = document.getElementById("replications-map");
  var pointsEl = document.getElementById("replication-points");
  var configEl = document.getElementById("map-config");
  if (!container || !pointsEl || !configEl || typeof L === "undefined") return;
  var points = JSON.parse(pointsEl.textContent);
  var config = JSON.parse(configEl.textContent);
  L.Icon.Default.imagePath = config.iconPath;

  var map = L.map(container, { scrollWheelZoom: false });
  window.carrefourMapBackground(map, config);
  var markers = points.map(function (point) {
    var label = point.name + " — " + point.commune;
    var marker = L.marker([point.lat, point.lon], { title: label, alt: point.name });
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = label;
    marker.bindPopup(link);
    return marker.addTo(map);
  });
  if (markers.length === 1) {
    map.setView(markers[0].getLatLng(), 9);
  } else {
    map.fitBounds(L.featureGroup(markers).getBounds().pad(0.3));
  }
})();
