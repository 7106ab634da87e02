(function () {
  "use strict";
  // What the last action did (a notice), or what stopped it (an error summary), arrives with
  // the page: focused, a screen reader says it, as it says no live region present from the
  // start.
  var said = document.querySelector(".summary, .notice");
  if (said) { said.setAttribute("tabindex", "-1"); said.focus(); }
  // A new-event form sent again after Back must find the event it made, not make a second:
  // the server derives the event's id from the form's own id. Browsers draw this no-store
  // page anew on Back (a new id) and put back only what was typed; so the id last sent from
  // this tab is remembered and, on a Back or Forward, sent again.
  var formId = document.querySelector("input[name=form_id]");
  if (formId && window.sessionStorage && window.performance && performance.getEntriesByType) {
    var arrival = performance.getEntriesByType("navigation")[0];
    var sent = sessionStorage.getItem("heard-new-event-form");
    if (arrival && arrival.type === "back_forward" && sent) { formId.value = sent; }
    formId.form.addEventListener("submit", function () {
      sessionStorage.setItem("heard-new-event-form", formId.value);
    });
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-status"));
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) { status.textContent = button.getAttribute("data-done"); }
      });
    });
  });
  var live = document.querySelector("[data-live]");
  if (!live || !window.fetch) { return; }
  var every = 15000;
  function show(name, value) {
    var node = live.querySelector("[data-field=" + name + "]");
    if (node && value !== undefined && node.textContent !== value) { node.textContent = value; }
  }
  function refresh() {
    if (document.visibilityState !== "visible") { return; }
    fetch(live.getAttribute("data-live"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (figures) {
        if (!figures) { return; }
        Object.keys(figures).forEach(function (name) { show(name, String(figures[name])); });
      })
      .catch(function () {});
  }
  window.setInterval(refresh, every);
})();
