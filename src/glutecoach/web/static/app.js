// Hold timers and rep counters for the screening tests and today's session. No framework:
// any element with data-timer / data-counter gets its behaviour when the page (or an HTMX swap)
// loads. Each writes its value into the input named by data-target.
(function () {
  "use strict";

  function setupTimer(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    const display = root.querySelector("[data-display]");
    const target = document.getElementById(root.dataset.target);
    const button = root.querySelector("[data-toggle]");
    let started = null;
    let shown = 0;
    let tick = null;
    function render() {
      display.textContent = shown.toFixed(0) + " s";
      if (target) target.value = shown.toFixed(0);
    }
    button.addEventListener("click", function () {
      if (tick === null) {
        started = performance.now() - shown * 1000;
        tick = setInterval(function () {
          shown = (performance.now() - started) / 1000;
          render();
        }, 200);
        button.textContent = "Stop";
        button.setAttribute("aria-pressed", "true");
      } else {
        clearInterval(tick);
        tick = null;
        button.textContent = "Start";
        button.setAttribute("aria-pressed", "false");
        render();
      }
    });
    const reset = root.querySelector("[data-reset]");
    if (reset) reset.addEventListener("click", function () {
      if (tick !== null) { clearInterval(tick); tick = null; button.textContent = "Start"; }
      shown = 0; render();
    });
    render();
  }

  function setupCounter(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    const display = root.querySelector("[data-display]");
    const target = document.getElementById(root.dataset.target);
    let count = 0;
    function render() {
      display.textContent = String(count);
      if (target) target.value = String(count);
    }
    root.querySelector("[data-plus]").addEventListener("click", function () { count += 1; render(); });
    root.querySelector("[data-minus]").addEventListener("click", function () { count = Math.max(0, count - 1); render(); });
    render();
  }

  function setup(scope) {
    scope.querySelectorAll("[data-timer]").forEach(setupTimer);
    scope.querySelectorAll("[data-counter]").forEach(setupCounter);
  }

  document.addEventListener("DOMContentLoaded", function () { setup(document); });
  document.addEventListener("htmx:afterSwap", function (event) { setup(event.target); });
})();
