/* Search page enhancements. Without this script the page works through its GET form; with it:
   - filter and sort changes update the results in place (the URL follows, the back button works, the
     `role=status` region states the new count, focus stays where it was);
   - a list/map toggle shows every result of the current query on a Leaflet map with clusters, keyboard
     reachable markers, popups that open with Enter and close with Escape, and « Rechercher dans cette zone ». */
(function () {
  "use strict";
  var text = window.carrefourText;
  var form = document.getElementById("recherche");
  var panel = document.getElementById("search-map-panel");
  var list = document.getElementById("search-list");
  if (!form || !panel || !list) return;
  var maxBbox = (panel.getAttribute("data-max-bbox") || "90,60").split(",").map(Number);
  var toggle = document.querySelector(".view-toggle");
  var status = document.getElementById("map-status");
  var pending = null;
  var searchMap = null;

  function formUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") params.append(name, value);
    });
    var query = params.toString();
    return form.action + (query ? "?" + query : "");
  }

  function hiddenInput(name, value) {
    var input = form.querySelector('input[type="hidden"][name="' + name + '"]');
    if (!value) {
      if (input) input.remove();
      return;
    }
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  function replaceFrom(doc, id) {
    var fresh = doc.getElementById(id);
    var current = document.getElementById(id);
    if (fresh && current) current.innerHTML = fresh.innerHTML;
  }

  // Fetch the page for `url` and swap in its results, facets, chips and count; keep focus where it was.
  function update(url, push) {
    if (pending) pending.abort();
    pending = new AbortController();
    var focusedId = document.activeElement && document.activeElement.id;
    return fetch(url, { credentials: "same-origin", signal: pending.signal })
      .then(function (response) {
        if (response.status === 400 || !response.ok) {
          window.location.assign(url); // the server's page explains the error
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["search-facets", "active-filters", "search-list"].forEach(function (id) { replaceFrom(doc, id); });
        var freshSort = doc.getElementById("tri");
        var sort = document.getElementById("tri");
        if (freshSort && sort) sort.innerHTML = freshSort.innerHTML;
        var freshCount = doc.getElementById("result-count");
        document.getElementById("result-count").textContent = freshCount ? freshCount.textContent.trim() : "";
        var freshPanel = doc.getElementById("search-map-panel");
        if (freshPanel) panel.setAttribute("data-points-url", freshPanel.getAttribute("data-points-url"));
        document.title = doc.title;
        if (push) history.pushState({ search: true }, "", url);
        if (focusedId && document.activeElement === document.body) {
          var again = document.getElementById(focusedId);
          if (again) again.focus();
        }
        if (searchMap && !panel.hidden) searchMap.load(false);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") window.location.assign(url);
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update(formUrl(), true);
  });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.form === form && (target.type === "checkbox" || target.id === "tri")) update(formUrl(), true);
  });
  // Going back or forward restores another search: reload it whole, so that every field matches the URL.
  window.addEventListener("popstate", function () { window.location.reload(); });

  // List / map toggle. The view is part of the URL (vue=carte) so that a shared link opens the map.
  function currentView() {
    return new URLSearchParams(window.location.search).get("vue") === "carte" ? "carte" : "liste";
  }

  function showView(view, remember) {
    var map = view === "carte";
    panel.hidden = !map;
    list.hidden = map;
    toggle.querySelectorAll("button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-view") === view));
    });
    hiddenInput("vue", map ? "carte" : "");
    if (remember) {
      var params = new URLSearchParams(window.location.search);
      if (map) params.set("vue", "carte"); else params.delete("vue");
      var query = params.toString();
      history.replaceState(history.state, "", window.location.pathname + (query ? "?" + query : ""));
    }
    if (map) {
      if (!searchMap) searchMap = createMap();
      if (searchMap) {
        searchMap.map.invalidateSize();
        searchMap.load(true);
      }
    }
  }

  if (typeof L === "undefined" || !L.markerClusterGroup || !toggle) return; // the list stays, which is enough
  toggle.hidden = false;
  toggle.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-view]");
    if (button) showView(button.getAttribute("data-view"), true);
  });

  function createMap() {
    var config = JSON.parse(document.getElementById("map-config").textContent);
    var container = document.getElementById("search-map");
    var map = L.map(container, { zoomControl: false, scrollWheelZoom: false, minZoom: 2, maxZoom: 18,
      zoomSnap: 0.5 });
    L.control.zoom({ zoomInTitle: text("zoom_in"), zoomOutTitle: text("zoom_out") }).addTo(map);
    // Zoom buttons come before the markers in the focus order (R-A11Y-03); their position on screen is unchanged.
    container.insertBefore(container.querySelector(".leaflet-control-container"), container.firstChild);
    map.setView([46.6, 2.4], 5);
    window.carrefourMapBackground(map, config);
    var markerIcon = L.divIcon({ className: "result-marker", iconSize: [18, 18], popupAnchor: [0, -8] });
    var group = L.markerClusterGroup({
      showCoverageOnHover: false,
      chunkedLoading: true,
      iconCreateFunction: clusterIcon
    });
    map.addLayer(group);
    var state = { map: map, group: group, lastMarker: null, byKeyboard: false };
    keyboardSupport(state, container);

    document.getElementById("search-zone").addEventListener("click", function () { searchZone(map); });

    state.load = function (fit) {
      var url = panel.getAttribute("data-points-url");
      status.textContent = text("map_loading");
      return fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) {
          group.clearLayers();
          var titles = {};
          var markers = data.points.map(function (point) {
            var title = uniqueTitle(titles, point[3] + (point[5] ? " — " + point[5] : ""));
            var marker = L.marker([point[1], point[2]], { icon: markerIcon, title: title, alt: title, keyboard: true });
            marker.bindPopup(popupContent(point), { closeButton: true, autoPanPadding: [24, 24] });
            return marker;
          });
          group.addLayers(markers);
          status.textContent = pointsSentence(data, markers.length);
          if (fit) fitView(map, markers);
        })
        .catch(function () { status.textContent = text("map_failed"); });
    };
    return state;
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? 34 : count < 100 ? 40 : 48;
    var icon = L.divIcon({
      html: '<span aria-hidden="true">' + count + "</span>",
      className: "result-cluster",
      iconSize: [size, size]
    });
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

  function uniqueTitle(seen, title) {
    var count = (seen[title] || 0) + 1;
    seen[title] = count;
    return count === 1 ? title : title + " (" + count + ")";
  }

  function popupContent(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point[4];
    link.textContent = point[3];
    box.appendChild(link);
    if (point[5]) {
      var place = document.createElement("p");
      place.textContent = point[5];
      place.style.margin = "0.3rem 0 0";
      box.appendChild(place);
    }
    return box;
  }

  function pointsSentence(data, shown) {
    var sentence = text("points_shown", { count: shown });
    if (data.truncated) sentence += " " + text("points_truncated", { count: shown });
    else if (data.count > shown) sentence += " " + text("points_unlocated", { count: data.count - shown });
    return sentence;
  }

  function fitView(map, markers) {
    var bbox = new URLSearchParams(window.location.search).get("bbox");
    var parts = bbox ? bbox.split(",").map(Number) : [];
    map.invalidateSize();
    if (parts.length === 4 && parts.every(isFinite)) {
      map.fitBounds([[parts[1], parts[0]], [parts[3], parts[2]]]);
    } else if (markers.length) {
      var points = markers.map(function (marker) { return marker.getLatLng(); });
      // Overseas results would shrink metropolitan France to a dot: frame the mainland when it has results;
      // overseas markers stay on the map, a zoom-out away.
      var mainland = points.filter(function (p) { return p.lat > 41 && p.lat < 51.5 && p.lng > -5.5 && p.lng < 10; });
      map.fitBounds(L.latLngBounds(mainland.length ? mainland : points), { padding: [30, 30], maxZoom: 12 });
    }
  }

  // Keyboard: Enter on a marker opens its popup (Leaflet) and moves focus into it; Enter on a cluster zooms in;
  // Escape closes the popup and brings focus back to its marker.
  function keyboardSupport(state, container) {
    var map = state.map;
    state.group.on("clusterkeypress", function (event) {
      if (event.originalEvent.key !== "Enter") return;
      if (map.getZoom() >= map.getMaxZoom()) event.layer.spiderfy();
      else event.layer.zoomToBounds({ padding: [24, 24] });
    });
    container.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.classList.contains("result-marker")) state.byKeyboard = true;
      if (event.key === "Escape" && map._popup && map.hasLayer(map._popup)) {
        event.preventDefault();
        map.closePopup();
      }
    });
    map.on("popupopen", function (event) {
      state.lastMarker = event.popup._source || null;
      var popup = event.popup.getElement();
      var close = popup && popup.querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", "Fermer la fenêtre");
        close.setAttribute("title", "Fermer la fenêtre");
      }
      if (state.byKeyboard) {
        var link = popup && popup.querySelector(".leaflet-popup-content a");
        if (link) link.focus();
      }
      state.byKeyboard = false;
    });
    map.on("popupclose", function (event) {
      // The popup fades out before it leaves the page: if focus was in it, or is nowhere, give it to the marker.
      var active = document.activeElement;
      var popup = event.popup.getElement();
      var inPopup = popup && active && popup.contains(active);
      var lost = !active || active === document.body;
      var element = state.lastMarker && state.lastMarker.getElement && state.lastMarker.getElement();
      if ((inPopup || lost) && element && document.body.contains(element)) element.focus();
    });
  }

  function searchZone(map) {
    var bounds = map.getBounds();
    var west = Math.max(-180, bounds.getWest());
    var east = Math.min(180, bounds.getEast());
    var south = Math.max(-90, bounds.getSouth());
    var north = Math.min(90, bounds.getNorth());
    if (east - west > maxBbox[0] || north - south > maxBbox[1]) {
      status.textContent = text("zone_too_large");
      return;
    }
    var bbox = [west, south, east, north].map(function (value) { return value.toFixed(4); }).join(",");
    hiddenInput("bbox", bbox);
    hiddenInput("vue", "carte");
    update(formUrl(), true);
  }

  showView(currentView(), false);
})();
