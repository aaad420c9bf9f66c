// Searchable pickers (focus/pickers.py): every <select data-picker> becomes a Tom Select box
// that searches as the person types and shows the chosen items as tags with a remove button.
// With data-picker-source the options are asked for as the person types (JSON from our own
// origin), so a page never carries thousands of them. Rows added to a formset later get their
// pickers from the "focus:added" event that focus.js sends.
(function () {
  "use strict";
  if (typeof window.TomSelect !== "function") return;

  function escape(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function remoteLoad(select) {
    var url = select.dataset.pickerSource;
    return function (query, callback) {
      if (query.trim().length < 2) {
        callback();
        return;
      }
      var address = url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          callback(data.results);
        })
        .catch(function () {
          callback();
        });
    };
  }

  function picker(select) {
    if (select.tomselect || select.closest("template")) return;
    var multiple = select.dataset.picker === "multiple";
    var data = select.dataset;
    var settings = {
      plugins: multiple ? { remove_button: { title: data.pickerRemove, label: "×" } } : {},
      maxOptions: 200,
      hidePlaceholder: true,
      placeholder: data.pickerPlaceholder,
      allowEmptyOption: !multiple && !select.required,
      // Closed after each choice, so that the list never covers the next field.
      closeAfterSelect: true,
      render: {
        no_results: function () {
          return '<div class="no-results">' + escape(data.pickerNoResults) + "</div>";
        },
      },
    };
    if (data.pickerSource) {
      settings.valueField = "value";
      settings.labelField = "text";
      settings.searchField = ["text"];
      settings.load = remoteLoad(select);
      settings.shouldLoad = function (query) {
        return query.trim().length >= 2;
      };
      settings.render.not_loading = function (query) {
        return query.trim().length < 2
          ? '<div class="no-results">' + escape(data.pickerTypeMore) + "</div>"
          : "";
      };
    }
    new window.TomSelect(select, settings);
    // The search box, which the label now names, stands for the select; the select stays in
    // the form, out of reach of the keyboard and of screen readers.
    select.setAttribute("aria-hidden", "true");
  }

  function pickers(root) {
    root.querySelectorAll("select[data-picker]").forEach(picker);
  }

  pickers(document);
  document.addEventListener("focus:added", function (event) {
    pickers(event.target);
  });
})();
