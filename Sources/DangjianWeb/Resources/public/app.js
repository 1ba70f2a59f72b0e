// 党建工作平台 — progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  // Confirm dialogs for destructive buttons marked data-confirm; on a checkbox, only when it is being ticked.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (!target) { return; }
    if (target.type === "checkbox" && !target.checked) { return; }
    if (!window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // "返回上一页修改" on an error page: the browser keeps what was typed in the form it goes back to.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-back]") : null;
    if (target) { window.history.back(); }
  });
  // Attendance: a button per member that cycles 出席 → 请假 → 缺席; the select stays in the form (and is what is sent).
  Array.prototype.forEach.call(document.querySelectorAll("select[data-cycle]"), function (select) {
    var button = document.createElement("button");
    button.type = "button";
    button.setAttribute("aria-label", select.getAttribute("aria-label") || "");
    function show() {
      var option = select.options[select.selectedIndex];
      button.textContent = option.text;
      button.className = "att-cycle " + option.value;
    }
    button.addEventListener("click", function () {
      select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      show();
    });
    select.addEventListener("change", show);
    select.style.display = "none";
    select.parentNode.insertBefore(button, select);
    show();
  });
  // On a phone the navigation and long filter forms fold behind a button ("菜单", "筛选").
  function collapsible(container, body, label) {
    if (!container || !body) { return; }
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "collapse-toggle";
    toggle.textContent = label;
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function () {
      var open = container.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    body.classList.add("collapse-body");
    container.classList.add("collapsible");
    container.insertBefore(toggle, body);
  }
  var nav = document.querySelector(".site-nav");
  if (nav) { collapsible(nav, nav.querySelector("ul"), "菜单"); }
  Array.prototype.forEach.call(document.querySelectorAll("[data-collapse]"), function (wrapper) {
    collapsible(wrapper, wrapper.querySelector(".collapse-target") || wrapper.firstElementChild, wrapper.getAttribute("data-collapse"));
  });
  // Print buttons (reports): the page's print layout hides navigation and forms.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) { window.print(); }
  });
})();
