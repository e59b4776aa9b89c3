/* A form shown again with errors: move the focus to its error summary, so that screen readers read it first and
   keyboard users start from its links to the fields. Loaded on every page; does nothing without a summary. */
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (!summary) return;
  if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
  summary.focus();
})();
