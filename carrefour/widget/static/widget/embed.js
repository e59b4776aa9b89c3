/* The <script> variant of the Carrefour widget. A partner pastes:
     <script src="https://…/widget/integrer.js" data-carrefour-widget="https://…/widget/?departement=29" async></script>
   and this inserts the widget's iframe right after the script element, then follows the height the widget posts
   (messages from the widget's own origin and frame only). Without JavaScript nothing shows: the iframe snippet is
   the no-script alternative. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var src = script.getAttribute("data-carrefour-widget");
  if (!src) return;
  var url;
  try {
    url = new URL(src, script.src);
  } catch (error) {
    return;
  }
  var frame = document.createElement("iframe");
  frame.src = url.href;
  frame.title = script.getAttribute("data-titre") || "Initiatives d'innovation sociale – Carrefour des innovations sociales";
  frame.loading = "lazy";
  frame.style.border = "0";
  frame.style.width = "100%";
  frame.style.maxWidth = "100%";
  frame.style.height = (parseInt(script.getAttribute("data-hauteur"), 10) || 600) + "px";
  script.parentNode.insertBefore(frame, script.nextSibling);

  window.addEventListener("message", function (event) {
    if (event.origin !== url.origin || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.type !== "carrefour-widget:height") return;
    var height = Number(data.height);
    if (isFinite(height) && height > 100 && height < 5000) frame.style.height = Math.ceil(height) + "px";
  });
})();
