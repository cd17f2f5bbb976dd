// Hold timers, rep counters and the one-exercise-at-a-time guide. No framework: elements with
// data-timer / data-counter / data-steps get their behaviour when the page (or an HTMX swap) loads.
//
// Timer:   <div data-timer data-target="INPUT-ID"> [data-display]? [data-toggle] [data-reset]? </div>
// Counter: <div data-counter data-target="INPUT-ID"> [data-minus] [data-display]? [data-plus] </div>
// Each starts from the input's value and writes whole seconds / reps into it; the input stays
// editable by hand. Guide: <div data-steps> [data-step]… [data-steps-end] </div> shows one step at a
// time with Previous / Next; without JavaScript every step shows.
// Upload: <form data-upload data-max-bytes=N> posts its file with XHR to show the upload's progress
// in [data-upload-progress] (a <progress> and [data-upload-text]), then follows the redirect to
// the analysis's own page; without JavaScript it is a plain form post. [data-fit-content] on a
// same-origin <iframe> makes it as tall as its document (no scrolling inside the page).
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

  function megabytes(bytes) {
    return (bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0);
  }

  function setupUpload(form) {
    if (form.dataset.ready || !window.FormData) return;
    form.dataset.ready = "1";
    const input = form.querySelector("input[type='file']");
    const box = form.querySelector("[data-upload-progress]");
    const bar = box && box.querySelector("progress");
    const said = box && box.querySelector("[data-upload-text]");
    const problem = form.querySelector("[data-upload-error]");
    const button = form.querySelector("button[type='submit']");

    function fail(message) {
      if (box) box.hidden = true;
      button.disabled = false;
      if (problem) {
        problem.textContent = message;
        problem.hidden = false;
      }
    }
    // A refused form (422), a stale token (403), a file too large (413): the server's page.
    function showPage(html) {
      const page = new DOMParser().parseFromString(html, "text/html");
      const fresh = page.querySelector("main");
      const main = document.querySelector("main");
      if (!fresh || !main) {
        fail("The server could not take the file. Reload the page and try again.");
        return;
      }
      document.title = page.title;
      main.innerHTML = fresh.innerHTML;
      setup(main);
      const focus = main.querySelector("#error-summary, [role='alert'], h1");
      if (focus) {
        if (!focus.hasAttribute("tabindex")) focus.setAttribute("tabindex", "-1");
        focus.focus();
      }
    }

    form.addEventListener("submit", function (event) {
      const files = input && input.files ? Array.prototype.slice.call(input.files) : [];
      if (!files.length || !bar) return; // nothing chosen: the server says so, as without JavaScript
      event.preventDefault();
      const limit = parseInt(form.dataset.maxBytes || "0", 10);
      if (problem) problem.hidden = true;
      const size = files.reduce(function (sum, f) { return sum + f.size; }, 0);
      if (limit && size > limit) {
        const what = files.length === 1 ? files[0].name + " is " : "the clips are ";
        fail(what + megabytes(size) + " MB: the limit is " +
          megabytes(limit) + " MB. 10–20 s of running is enough; trim the clip and try again.");
        return;
      }
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        const share = Math.min(100, Math.round((100 * e.loaded) / e.total));
        bar.value = share;
        said.textContent = megabytes(e.loaded) + " of " + megabytes(e.total) + " MB (" + share + " %)";
      });
      request.upload.addEventListener("load", function () {
        bar.value = 100;
        said.textContent = "Uploaded; starting the analysis…";
      });
      request.addEventListener("load", function () {
        const landed = request.responseURL;
        if (request.status < 400 && landed && landed.split("#")[0] !== window.location.href.split("#")[0]) {
          window.location.assign(landed); // the analysis's page (or, already, its report)
          return;
        }
        showPage(request.responseText);
      });
      request.addEventListener("error", function () {
        fail("The upload stopped: check the connection and try again. Files over " +
          megabytes(limit) + " MB are refused.");
      });
      request.addEventListener("abort", function () { fail("The upload was stopped."); });
      button.disabled = true;
      bar.value = 0;
      said.textContent = "Starting the upload…";
      box.hidden = false;
      request.send(new FormData(form));
    });
  }

  function setupFrame(frame) {
    if (frame.dataset.ready) return;
    frame.dataset.ready = "1";
    function fit() {
      let body = null;
      try {
        body = frame.contentDocument && frame.contentDocument.body;
      } catch (error) {
        return; // not same-origin: it keeps its own scroll bar
      }
      if (!body || !body.offsetHeight) return;
      frame.style.height = body.offsetHeight + 2 + "px"; // the report's body has no margin
    }
    frame.addEventListener("load", function () {
      fit();
      const inner = frame.contentDocument;
      // <details> in the report open and close; a phone turns: the height changes
      if (inner) inner.addEventListener("toggle", fit, true);
      if (window.ResizeObserver && inner && inner.body) new ResizeObserver(fit).observe(inner.body);
    });
    window.addEventListener("resize", fit);
    fit();
  }

  function setup(scope) {
    scope.querySelectorAll("[data-timer]").forEach(setupTimer);
    scope.querySelectorAll("[data-counter]").forEach(setupCounter);
    scope.querySelectorAll("[data-steps]").forEach(setupSteps);
    scope.querySelectorAll("form[data-upload]").forEach(setupUpload);
    scope.querySelectorAll("iframe[data-fit-content]").forEach(setupFrame);
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
