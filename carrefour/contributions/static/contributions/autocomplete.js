// Suggestions for the commune and organisation fields, through a native <datalist>: the fields work without it.
(function () {
  "use strict";
  function attach(input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.after(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var kind = input.dataset.suggestKind;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2) { return; }
      timer = setTimeout(function () {
        var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(text);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) {
            if (!data) { return; }
            var labels = kind === "commune"
              ? (data.territories || []).filter(function (t) { return t.kind === "commune"; }).map(function (t) { return t.label; })
              : (data.organisations || []);
            list.replaceChildren.apply(list, labels.map(function (label) {
              var option = document.createElement("option");
              option.value = label;
              return option;
            }));
          })
          .catch(function () { /* suggestions are optional */ });
      }, 200);
    });
  }
  document.querySelectorAll("input[data-suggest-url]").forEach(attach);
})();
