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
