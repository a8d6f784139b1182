// Says at once when a chosen file is over its input's limit (data-max-bytes), and takes
// it out of the form, so that what was typed on the page is never lost to a refused
// upload. The server checks again whatever the browser did.
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var limit = Number(input.dataset.maxBytes);
    var note = document.createElement("p");
    note.className = "invalid-feedback d-block file-too-large";
    note.id = input.id + "-too-large";
    note.setAttribute("role", "alert");
    note.hidden = true;
    input.insertAdjacentElement("afterend", note);
    input.addEventListener("change", function () {
      var tooLarge = Array.prototype.some.call(input.files, function (file) {
        return file.size > limit;
      });
      note.hidden = !tooLarge;
      note.textContent = tooLarge ? input.dataset.tooLarge : "";
      input.setAttribute("aria-invalid", tooLarge ? "true" : "false");
      var described = (input.getAttribute("aria-describedby") || "").split(" ");
      if (tooLarge && described.indexOf(note.id) < 0) {
        input.setAttribute("aria-describedby", described.concat(note.id).join(" ").trim());
      }
      if (tooLarge) {
        input.value = "";
      }
    });
  });
})();
