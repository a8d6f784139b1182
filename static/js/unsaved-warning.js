// Warns before leaving a page whose form (marked data-warn-unsaved) holds typing that is
// not saved yet. Saving (submitting the form) clears the warning.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-warn-unsaved]");
  var dirty = false;
  forms.forEach(function (form) {
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
  });
  if (forms.length) {
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }
})();
