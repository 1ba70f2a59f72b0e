// 党建工作平台 — progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  // Confirm dialogs for destructive buttons marked data-confirm.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // Print buttons (reports): the page's print layout hides navigation and forms.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) { window.print(); }
  });
})();
