// Hold timers, rep counters and the one-exercise-at-a-time guide. No framework: elements with
// data-timer / data-counter / data-steps get their behaviour when the page (or an HTMX swap) loads.
//
// Timer:   <div data-timer data-target="INPUT-ID"> [data-display]? [data-toggle] [data-reset]? </div>
// Counter: <div data-counter data-target="INPUT-ID"> [data-minus] [data-display]? [data-plus] </div>
// Each starts from the input's value and writes whole seconds / reps into it; the input stays
// editable by hand. Guide: <div data-steps> [data-step]… [data-steps-end] </div> shows one step at a
// time with Previous / Next; without JavaScript every step shows.
(function () {
  "use strict";

  function valueOf(input) {
    const n = input ? parseFloat(input.value) : NaN;
    return isNaN(n) || n < 0 ? 0 : n;
  }

  function write(input, value) {
    if (!input) return;
    input.value = String(value);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function setupTimer(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    const display = root.querySelector("[data-display]");
    const target = document.getElementById(root.dataset.target);
    const toggle = root.querySelector("[data-toggle]");
    const reset = root.querySelector("[data-reset]");
    let held = valueOf(target);
    let started = 0;
    let tick = null;

    function show() {
      if (display) display.textContent = Math.round(held) + " s";
    }
    function running(on) {
      toggle.textContent = on ? "Stop" : "Start";
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      root.classList.toggle("is-running", on);
    }
    function stop() {
      clearInterval(tick);
      tick = null;
      held = (performance.now() - started) / 1000;
      show();
      write(target, Math.round(held));
      running(false);
    }
    toggle.addEventListener("click", function () {
      if (tick !== null) {
        stop();
        return;
      }
      started = performance.now() - held * 1000;
      tick = setInterval(function () {
        held = (performance.now() - started) / 1000;
        show();
        if (target) target.value = String(Math.round(held));
      }, 200);
      running(true);
    });
    if (reset) {
      reset.addEventListener("click", function () {
        if (tick !== null) stop();
        held = 0;
        show();
        if (target) target.value = "";
      });
    }
    if (target) {
      target.addEventListener("input", function () {
        if (tick === null) {
          held = valueOf(target);
          show();
        }
      });
    }
    show();
  }

  function setupCounter(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    const display = root.querySelector("[data-display]");
    const target = document.getElementById(root.dataset.target);
    let count = Math.round(valueOf(target));

    function show() {
      if (display) display.textContent = String(count);
    }
    function set(n) {
      count = Math.max(0, n);
      show();
      write(target, count);
    }
    root.querySelector("[data-plus]").addEventListener("click", function () { set(count + 1); });
    root.querySelector("[data-minus]").addEventListener("click", function () { set(count - 1); });
    if (target) {
      target.addEventListener("input", function () {
        count = Math.round(valueOf(target));
        show();
      });
    }
    show();
  }

  function makeButton(text, className) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = text;
    if (className) button.className = className;
    return button;
  }

  function setupSteps(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    const steps = Array.prototype.slice.call(root.querySelectorAll("[data-step]"));
    const end = root.querySelector("[data-steps-end]");
    if (steps.length < 2) return;
    const nav = document.createElement("div");
    nav.className = "step-nav";
    const prev = makeButton("← Previous", "secondary");
    const next = makeButton("Next exercise →");
    nav.appendChild(prev);
    nav.appendChild(next);
    root.insertBefore(nav, end);
    root.classList.add("is-guided");
    let current = steps.findIndex(function (s) {
      return s.querySelector("[aria-invalid='true'], .field-error");
    });
    if (current < 0) current = 0;

    function show(index, focus) {
      current = index;
      steps.forEach(function (step, k) { step.hidden = k !== index; });
      prev.hidden = index === 0;
      next.hidden = index === steps.length - 1;
      if (end) end.hidden = index !== steps.length - 1;
      if (focus) {
        const heading = steps[index].querySelector("h3");
        if (heading) heading.focus();
        steps[index].scrollIntoView({ block: "start" });
      }
    }
    prev.addEventListener("click", function () { show(current - 1, true); });
    next.addEventListener("click", function () { show(current + 1, true); });
    show(current, false);
  }

  function setup(scope) {
    scope.querySelectorAll("[data-timer]").forEach(setupTimer);
    scope.querySelectorAll("[data-counter]").forEach(setupCounter);
    scope.querySelectorAll("[data-steps]").forEach(setupSteps);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setup(document);
    // After a refused form, take keyboard and screen-reader users to the list of what to fix.
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    setup(event.target);
    const fresh = event.target.querySelectorAll("[data-focus]");
    if (fresh.length) {
      const last = fresh[fresh.length - 1];
      fresh.forEach(function (el) { el.removeAttribute("data-focus"); });
      last.focus();
    }
  });
})();
