// Progressive enhancement only: every page works without this file.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
  initAll();
}

// The accessible timeout warning (WCAG 2.2.1): two minutes before a hold runs out, a modal
// dialog asks whether the person needs more time. Its button posts the same "extend" form
// that works without JavaScript; Escape or "Close" dismisses it and returns focus.
function initHoldTimeout() {
  const timer = document.querySelector("[data-hold-seconds]");
  const dialog = document.getElementById("hold-timeout");
  if (!timer || !dialog || typeof dialog.showModal !== "function") return;
  const secondsLeft = Number(timer.dataset.holdSeconds);
  const warningSeconds = Number(timer.dataset.warningSeconds || 120);
  const deadline = Date.now() + secondsLeft * 1000;
  const countdown = dialog.querySelector("[data-hold-countdown]");
  let opener = null;

  function describe(seconds) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    const lang = document.documentElement.lang;
    if (lang === "cy") return minutes ? `${minutes} munud ${rest} eiliad` : `${rest} eiliad`;
    return minutes ? `${minutes} minute${minutes === 1 ? "" : "s"} ${rest} second${rest === 1 ? "" : "s"}` : `${rest} seconds`;
  }

  function tick() {
    const remaining = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (countdown) countdown.textContent = describe(remaining);
    if (remaining === 0) {
      window.location.reload();
      return;
    }
    window.setTimeout(tick, 1000);
  }

  function open() {
    opener = document.activeElement;
    dialog.showModal();
    dialog.querySelector("[data-hold-extend]").focus();
    tick();
  }

  dialog.querySelector("[data-hold-close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    if (opener && typeof opener.focus === "function") opener.focus();
  });
  const openInMs = Math.max(0, (secondsLeft - warningSeconds) * 1000);
  window.setTimeout(open, openInMs);
}

initHoldTimeout();
