// Warn before the session expires from inactivity, and let the user stay signed in.
(function () {
  "use strict";
  var idle = parseInt(document.body.dataset.sessionIdleSeconds || "0", 10);
  if (!idle) { return; }
  var warnAfter = Math.max(idle - 120, Math.floor(idle * 0.8)) * 1000;
  var box = document.getElementById("session-warning");
  var button = document.getElementById("session-extend");
  var timer = null;
  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () {
      box.hidden = false;
      button.focus();
    }, warnAfter);
  }
  button.addEventListener("click", function () {
    fetch(window.location.href, { method: "HEAD", credentials: "same-origin" }).then(function () {
      box.hidden = true;
      schedule();
    });
  });
  schedule();
})();

// Forms with errors: move focus to the error summary, and let its links focus their field.
// The same for a region htmx has just swapped in (report filters, audit log, what-if).
(function () {
  "use strict";
  function wire(summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      // A group of options (radio buttons, check boxes): focus its first input.
      var input = target.matches("input, select, textarea, button") ? target
        : target.querySelector("input, select, textarea, button");
      if (!input) { return; }
      event.preventDefault();
      var field = input.closest("fieldset, .field") || input;
      field.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }
  var summary = document.querySelector(".error-summary");
  if (summary) { wire(summary); }
  document.body.addEventListener("htmx:afterSettle", function () {
    var found = document.querySelector(".error-summary");
    if (found) { wire(found); }
  });
})();
