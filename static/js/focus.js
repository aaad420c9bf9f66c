// The portal's own behaviour. Kept small and dependency-free.
(function () {
  "use strict";
  // Bars drawn by the server carry their length as data-width (a percentage): the
  // Content-Security-Policy refuses inline style attributes, not styles set from a script.
  function drawBars(root) {
    root.querySelectorAll("[data-width]").forEach(function (bar) {
      var percent = parseFloat(bar.dataset.width);
      if (isNaN(percent)) return;
      bar.style.width = Math.min(Math.max(percent, 0), 100) + "%";
    });
  }
  drawBars(document);
  // Content htmx brings (a background import's progress) draws its bars too.
  document.addEventListener("htmx:load", function (event) {
    drawBars(event.detail.elt);
  });
  // A table wider than the page scrolls in its box: the keyboard can reach and scroll it too.
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
    }
  });
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
  // "Add another" on formsets: a copy of the empty form, numbered like Django expects.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) return;
    var form = button.closest("[data-formset]");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    var template = form.querySelector("template[data-formset-template]");
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    form.querySelector("[data-formset-forms]").insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = form.querySelector("[data-formset-forms]").lastElementChild;
    added.dispatchEvent(new CustomEvent("focus:added", { bubbles: true })); // pickers.js
    var first = added.querySelector(
      "input:not([type=hidden]):not([tabindex='-1']), select:not(.tomselected)"
    );
    if (first) first.focus();
  });
  // On the long forms the buttons stay in a bar stuck to the bottom of the window: a field
  // reached with the keyboard that would sit under it is scrolled up above it (WCAG 2.4.11).
  document.addEventListener("focusin", function (event) {
    var bar = document.querySelector(".sticky-bottom");
    if (!bar || bar.contains(event.target)) return;
    var field = event.target.getBoundingClientRect();
    var barTop = bar.getBoundingClientRect().top;
    if (field.bottom > barTop - 8) {
      window.scrollBy({ top: field.bottom - barTop + 16, behavior: "instant" });
    }
  });
  // Actions answered in place (htmx, forms with hx-post): the form can be sent again once its
  // answer is in, the answer's bars are drawn, and the keyboard's focus moves to what the
  // action said, without scrolling, so nobody loses their place. When the answer does not
  // come (the network, the server), the page says so where its messages are.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form");
    if (form) delete form.dataset.submitted;
  });
  document.addEventListener("htmx:afterSettle", function () {
    drawBars(document);
    var said = document.querySelector("[data-focus-after-swap]");
    if (!said) return;
    said.removeAttribute("data-focus-after-swap");
    said.focus({ preventScroll: true });
  });
  function inPlaceFailed(event) {
    var template = document.getElementById("in-place-failed");
    var main = document.getElementById("main");
    if (!template || !main) return;
    var alert = template.content.firstElementChild.cloneNode(true);
    var around = event.detail.elt.closest && event.detail.elt.closest("td, article, form");
    (around || main).appendChild(alert);
  }
  // A part of the page asked again (a status polled) after the session expired: htmx followed
  // the redirect to the login page. Open it as a page, which brings the user back here after.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.responseURL && xhr.responseText.indexOf("data-login-page") >= 0) {
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
    }
  });
  document.addEventListener("htmx:responseError", inPlaceFailed);
  document.addEventListener("htmx:sendError", inPlaceFailed);
  // "Print" buttons: the browser's print dialog (the print stylesheet keeps the content only).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
    });
  });
})();
