(function () {
  "use strict";
  // What the last action did (a notice), or what stopped it (an error summary), arrives with
  // the page: focused, a screen reader says it, as it says no live region present from the
  // start.
  var said = document.querySelector(".summary, .notice");
  if (said) { said.setAttribute("tabindex", "-1"); said.focus(); }
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
