/* Autocomplete for search boxes marked `data-suggest-url`: an ARIA 1.2 combobox (input + listbox).
   Arrow keys move through the suggestions (aria-activedescendant), Enter opens the chosen one, Escape closes the
   list, Tab leaves it. Without a chosen suggestion, Enter submits the form as usual. */
(function () {
  "use strict";
  var GROUPS = [
    ["initiatives", "Initiatives"],
    ["territories", "Territoires"],
    ["themes", "Thématiques"]
  ];
  var MIN_LENGTH = 2;
  var DELAY = 150;

  function hrefFor(group, item, searchUrl) {
    if (item.url) return item.url;
    var value = item.code || item.value;
    if (group === "territories" && item.kind && value) {
      return searchUrl + "?" + encodeURIComponent(item.kind) + "=" + encodeURIComponent(value);
    }
    if (group === "themes" && value) {
      return searchUrl + "?" + encodeURIComponent(item.kind || "theme") + "=" + encodeURIComponent(value);
    }
    return searchUrl + "?q=" + encodeURIComponent(item.label);
  }

  function setUp(input, index) {
    var form = input.form;
    var searchUrl = (form && form.getAttribute("action")) || "/recherche/";
    var listId = (input.id || "recherche-" + index) + "-suggestions";
    var listbox = document.createElement("div");
    listbox.id = listId;
    listbox.className = "suggestions";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Suggestions");
    listbox.hidden = true;
    var live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(listbox);
    input.parentNode.appendChild(live);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function open() {
      if (!options.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function highlight(index) {
      options.forEach(function (option, i) { option.setAttribute("aria-selected", String(i === index)); });
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function choose(option) {
      close();
      window.location.assign(option.getAttribute("data-href"));
    }

    function render(data) {
      listbox.textContent = "";
      options = [];
      GROUPS.forEach(function (pair) {
        var items = data[pair[0]] || [];
        if (!items.length) return;
        var group = document.createElement("div");
        group.setAttribute("role", "group");
        var heading = document.createElement("div");
        heading.id = listId + "-" + pair[0];
        heading.className = "suggestion-group";
        heading.setAttribute("role", "presentation");
        heading.textContent = pair[1];
        group.setAttribute("aria-labelledby", heading.id);
        group.appendChild(heading);
        items.forEach(function (item) {
          var option = document.createElement("div");
          option.id = listId + "-" + options.length;
          option.className = "suggestion";
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.setAttribute("data-href", hrefFor(pair[0], item, searchUrl));
          option.textContent = item.label;
          group.appendChild(option);
          options.push(option);
        });
        listbox.appendChild(group);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (options.length) {
        open();
        live.textContent = window.carrefourText("suggestions", { count: options.length });
      } else {
        close();
        live.textContent = "";
      }
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH) {
        options = [];
        listbox.textContent = "";
        close();
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      var url = input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", signal: controller.signal })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && input.value.trim() === text) render(data); })
        .catch(function () { /* no suggestions: the form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var expanded = !listbox.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options.length) return;
        event.preventDefault();
        if (!expanded) open();
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        if (next >= options.length) next = 0;
        if (next < 0) next = options.length - 1;
        highlight(next);
      } else if (event.key === "Enter") {
        if (expanded && active >= 0) {
          event.preventDefault();
          choose(options[active]);
        }
      } else if (event.key === "Escape") {
        if (expanded) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    // Keep the focus in the box while a pointer picks an option; the choice itself happens on click.
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(option);
    });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(setUp);
})();
