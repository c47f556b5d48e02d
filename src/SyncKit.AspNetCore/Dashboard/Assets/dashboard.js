// SyncKit dashboard: live progress of a run under way. Polls the progress address the page names, updates the status
// line, and reloads the page when the run completes (so counts, lists and buttons are current). Nothing else needs script.
(function () {
  "use strict";
  var line = document.getElementById("progress");
  if (!line || !line.dataset.progressUrl) { return; }
  var url = line.dataset.progressUrl;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { return; }
        line.textContent = p.text;
        if (!p.running) { window.location.replace(window.location.pathname); return; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
