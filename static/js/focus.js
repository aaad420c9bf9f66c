// The portal's own behaviour. Kept small and dependency-free.
(function () {
  "use strict";
  // A form submits once: the second click of an impatient user (or a slow tablet) is ignored,
  // so nothing is saved twice. The buttons come back if the browser restores the page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.setAttribute("aria-busy", "true");
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
    });
  });
})();
