// Moves focus to the error summary (or the conflict notice) when a page shows one,
// so that keyboard and screen-reader users hear what went wrong first.
(function () {
  "use strict";
  var target = document.getElementById("error-summary") || document.getElementById("conflict");
  if (target) {
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }
})();
