/* Territory page map: the choropleth of the child territories (colours computed by the server, the same as the
   legend and the table beside it) or the territory's outline, and its initiatives as clustered markers from the
   search engine's map points. Without JavaScript the table and the list carry the same information. */
(function () {
  "use strict";
  var text = window.carrefourText;
  var container = document.getElementById("territory-map");
  var configEl = document.getElementById("map-config");
  var status = document.getElementById("territory-map-status");
  if (!container || !configEl || typeof L === "undefined") return;
  var config = JSON.parse(configEl.textContent);
  var dataEl = document.getElementById("choropleth-data");
  var choropleth = dataEl ? JSON.parse(dataEl.textContent) : null;
  L.Icon.Default.imagePath = config.iconPath;

  var map = L.map(container, { zoomControl: false, scrollWheelZoom: false, minZoom: 2, maxZoom: 18, zoomSnap: 0.5 });
  L.control.zoom({ zoomInTitle: text("zoom_in"), zoomOutTitle: text("zoom_out") }).addTo(map);
  container.insertBefore(container.querySelector(".leaflet-control-container"), container.firstChild);
  map.setView([46.6, 2.4], 5);
  window.carrefourMapBackground(map, config);

  function json(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.json() : Promise.reject(response.status);
    });
  }

  function popupLink(name, url) {
    var link = document.createElement("a");
    link.href = url;
    link.textContent = name;
    return link;
  }

  var shapesUrl = choropleth ? choropleth.shapesUrl : container.getAttribute("data-outline-url");
  var shapes = shapesUrl ? json(shapesUrl).then(function (data) {
    var layer = L.geoJSON(data, {
      style: function (feature) {
        var value = choropleth && choropleth.values[feature.properties.code];
        return { color: "#333333", weight: 1, fillColor: value ? value.colour : "#ffffff",
                 fillOpacity: choropleth ? 0.85 : 0.15 };
      },
      onEachFeature: function (feature, shape) {
        var value = choropleth && choropleth.values[feature.properties.code];
        if (!value) return;
        shape.bindTooltip(value.name + " : " + value.count, { sticky: true });
        shape.bindPopup(popupLink(value.name, value.url));
      }
    }).addTo(map);
    layer.getLayers().forEach(function (shape) {
      var element = shape.getElement && shape.getElement();
      if (element) element.setAttribute("aria-hidden", "true"); // the table is the accessible equivalent
    });
    if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
    return layer;
  }) : Promise.resolve(null);

  var markerIcon = L.divIcon({ className: "result-marker", iconSize: [18, 18], popupAnchor: [0, -8] });
  var group = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false, chunkedLoading: true,
    iconCreateFunction: clusterIcon }) : L.featureGroup();
  map.addLayer(group);
  status.textContent = text("map_loading");
  json(container.getAttribute("data-points-url")).then(function (data) {
    var markers = data.points.map(function (point) {
      var title = point[3] + (point[5] ? " — " + point[5] : "");
      var marker = L.marker([point[1], point[2]], { icon: markerIcon, title: title, alt: title, keyboard: true });
      marker.bindPopup(popupLink(point[3], point[4]));
      return marker;
    });
    group.addLayers ? group.addLayers(markers) : markers.forEach(function (m) { group.addLayer(m); });
    status.textContent = text("points_shown", { count: markers.length });
    shapes.then(function (layer) {
      if (!layer && markers.length) map.fitBounds(L.featureGroup(markers).getBounds(), { padding: [30, 30], maxZoom: 12 });
    });
  }).catch(function () { status.textContent = text("map_failed"); });

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? 34 : count < 100 ? 40 : 48;
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

  map.on("popupopen", function (event) {
    var close = event.popup.getElement() && event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) {
      close.setAttribute("aria-label", "Fermer la fenêtre");
      close.setAttribute("title", "Fermer la fenêtre");
    }
  });
})();
