/* The words of our scripts, translated by Django: carrefourText(name, values). See core/js_strings.py. */
(function () {
  "use strict";
  var block = document.getElementById("carrefour-texts");
  var data = block ? JSON.parse(block.textContent) : { plural: "n>1", texts: {} };

  window.carrefourText = function (key, values) {
    var text = data.texts[key];
    if (text === undefined) return key;
    values = values || {};
    if (Array.isArray(text)) {
      var n = Number(values.count);
      var many = data.plural === "n!=1" ? n !== 1 : n > 1;
      text = text[many ? 1 : 0];
    }
    return text.replace(/%\((\w+)\)s/g, function (match, name) {
      return values[name] !== undefined ? String(values[name]) : match;
    });
  };
})();
