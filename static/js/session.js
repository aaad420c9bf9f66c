// Sessions end after a while without a request (SESSION_IDLE_MINUTES). On a page with a form
// this warns two minutes before, offers to stay logged in, and keeps a draft of what was typed
// in the tab's sessionStorage (gone when the tab closes, cleared at logout), so that a form
// submitted after the session expired is filled in again once the user has logged in.
(function () {
  "use strict";
  var PREFIX = "focus-draft:";
  var SKIPPED = ["hidden", "password", "file", "submit", "button", "reset", "image"];
  var box = document.getElementById("session-warning");
  var loginPage = document.body.hasAttribute("data-login-page");

  function draftable(form) {
    return form.method.toLowerCase() === "post" && !form.hasAttribute("data-no-draft") &&
      !form.querySelector("input[type=password]");
  }
  function forms() {
    return Array.prototype.filter.call(document.forms, draftable);
  }
  function keyOf(form, index) {
    return PREFIX + location.pathname + "#" + (form.id || form.getAttribute("action") || index);
  }
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && SKIPPED.indexOf(el.type) < 0;
    });
  }
  function valuesOf(form) {
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name] = values[el.name] || [];
        if (el.checked) values[el.name].push(el.value);
      } else if (el.type === "select-multiple") {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }
  function apply(form, values) {
    var changed = false;
    fields(form).forEach(function (el) {
      if (!(el.name in values)) return;
      var wanted = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        var on = wanted.indexOf(el.value) >= 0;
        if (el.checked !== on) { el.checked = on; changed = true; }
      } else if (el.type === "select-multiple") {
        Array.prototype.forEach.call(el.options, function (o) {
          var on = wanted.indexOf(o.value) >= 0;
          if (o.selected !== on) { o.selected = on; changed = true; }
        });
      } else if (el.value !== wanted) {
        el.value = wanted;
        changed = true;
      }
    });
    return changed;
  }
  function read(key) {
    try { return JSON.parse(sessionStorage.getItem(key)); } catch (e) { return null; }
  }
  function save(form, index, submitted) {
    try {
      sessionStorage.setItem(keyOf(form, index), JSON.stringify({
        at: Date.now(), submitted: submitted, values: valuesOf(form)
      }));
    } catch (e) { /* storage full or disabled: nothing to keep */ }
  }
  function clearAll() {
    for (var i = sessionStorage.length - 1; i >= 0; i--) {
      var key = sessionStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) sessionStorage.removeItem(key);
    }
  }

  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-logout")) { clearAll(); return; }
    var index = forms().indexOf(event.target);
    if (index >= 0) save(event.target, index, true);
  });
  if (loginPage) return;  // the drafts wait for the page the user comes back to

  // A draft submitted from another page was received there, unless the user came back here.
  var succeeded = document.querySelector(".alert-success") !== null;
  var maxAge = (parseInt(document.body.dataset.sessionMaxSeconds, 10) || 43200) * 1000;
  for (var i = sessionStorage.length - 1; i >= 0; i--) {
    var key = sessionStorage.key(i);
    if (!key || key.indexOf(PREFIX) !== 0) continue;
    var draft = read(key);
    var here = key.indexOf(PREFIX + location.pathname + "#") === 0;
    if (!draft || Date.now() - draft.at > maxAge || (draft.submitted && (!here || succeeded))) {
      sessionStorage.removeItem(key);
    }
  }
  forms().forEach(function (form, index) {
    var draft = read(keyOf(form, index));
    if (draft && apply(form, draft.values) && box) {
      var notice = document.getElementById("draft-restored").content.firstElementChild.cloneNode(true);
      notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
        sessionStorage.removeItem(keyOf(form, index));
        location.reload();
      });
      form.parentNode.insertBefore(notice, form);
    }
    form.addEventListener("input", function () { save(form, index, false); });
    form.addEventListener("change", function () { save(form, index, false); });
  });

  // The warning before the idle timeout, on pages with a form.
  if (!box || forms().length === 0) return;
  var idle = parseInt(box.dataset.idleSeconds, 10) * 1000;
  var lead = Math.min(120000, idle / 4);
  var timers = [];
  function schedule() {
    timers.forEach(clearTimeout);
    box.classList.add("d-none");
    box.querySelector("[data-session-expired]").classList.add("d-none");
    box.querySelector("[data-session-expiring]").classList.remove("d-none");
    timers = [
      setTimeout(function () { box.classList.remove("d-none"); }, idle - lead),
      setTimeout(function () {
        box.querySelector("[data-session-expiring]").classList.add("d-none");
        box.querySelector("[data-session-expired]").classList.remove("d-none");
      }, idle)
    ];
  }
  box.querySelector("[data-session-keepalive]").addEventListener("click", function () {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(box.dataset.keepaliveUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) {
      if (response.status === 204) schedule();
    });
  });
  schedule();
})();
