/* The widget page: a clustered map of every located result (the list works without it), links opening in a new
   window (the widget lives in a partner's iframe), and its height sent to the embedding page for the <script>
   variant (embed: widget/integrer.js). Only a number is posted: no data about the visitor or the page. */
(function () {
  "use strict";
  var text = window.carrefourText || function (key) { return key; };
  var container = document.getElementById("widget-map");
  var newWindow = container ? container.getAttribute("data-new-window") || "" : "";

  function postHeight() {
    if (window.parent === window) return;
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ type: "carrefour-widget:height", height: height }, "*");
  }

  function popupContent(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point[4];
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = point[3];
    var hint = document.createElement("span");
    hint.className = "visually-hidden";
    hint.textContent = " " + newWindow;
    link.appendChild(hint);
    box.appendChild(link);
    if (point[5]) {
      var place = document.createElement("p");
      place.textContent = point[5];
      place.style.margin = "0.3rem 0 0";
      box.appendChild(place);
    }
    return box;
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? 32 : count < 100 ? 38 : 44;
    var icon = L.divIcon({ html: '<span aria-hidden="true">' + count + "</span>", className: "result-cluster",
      iconSize: [size, size] });
    var label = text("cluster", { count: count });
    var create = icon.createIcon;
    icon.createIcon = function (old) {
      var element = create.call(icon, old);
      element.setAttribute("aria-label", label);
      element.setAttribute("title", label);
      return element;
    };
    return icon;
  }

  function showMap(container, status) {
    var config = JSON.parse(document.getElementById("map-config").textContent);
    container.hidden = false;
    var map = L.map(container, { zoomControl: false, scrollWheelZoom: false, minZoom: 2, maxZoom: 18 });
    L.control.zoom({ zoomInTitle: text("zoom_in"), zoomOutTitle: text("zoom_out") }).addTo(map);
    container.insertBefore(container.querySelector(".leaflet-control-container"), container.firstChild);
    map.setView([46.6, 2.4], 5);
    window.carrefourMapBackground(map, config);
    var group = L.markerClusterGroup({ showCoverageOnHover: false, iconCreateFunction: clusterIcon });
    map.addLayer(group);
    group.on("clusterkeypress", function (event) {
      if (event.originalEvent.key === "Enter") event.layer.zoomToBounds({ padding: [20, 20] });
    });
    container.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && map._popup && map.hasLayer(map._popup)) map.closePopup();
    });
    var icon = L.divIcon({ className: "result-marker", iconSize: [16, 16], popupAnchor: [0, -8] });
    status.textContent = text("map_loading");
    fetch(container.getAttribute("data-points-url"), { credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        var seen = {};
        var markers = data.points.map(function (point) {
          var title = point[3] + (point[5] ? " — " + point[5] : "");
          seen[title] = (seen[title] || 0) + 1;
          if (seen[title] > 1) title += " (" + seen[title] + ")";
          var marker = L.marker([point[1], point[2]], { icon: icon, title: title, alt: title, keyboard: true });
          marker.bindPopup(popupContent(point), { autoPanPadding: [16, 16] });
          return marker;
        });
        group.addLayers(markers);
        status.textContent = text("points_shown", { count: markers.length });
        if (markers.length) {
          var bounds = L.latLngBounds(markers.map(function (marker) { return marker.getLatLng(); }));
          map.fitBounds(bounds, { padding: [24, 24], maxZoom: 11 });
        }
        postHeight();
      })
      .catch(function () {
        status.textContent = text("map_failed");
        postHeight();
      });
  }

  var status = document.getElementById("widget-map-status");
  if (container && status && typeof L !== "undefined" && L.markerClusterGroup) showMap(container, status);

  window.addEventListener("load", postHeight);
  window.addEventListener("resize", postHeight);
  postHeight();
})();
