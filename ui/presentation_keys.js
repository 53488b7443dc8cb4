// Presentation mode in a meeting room: a presenter's clicker sends PageDown/PageUp (some send arrows or
// Space), and the facilitator should not have to click into the page first. One listener on the whole
// document, whatever has focus, that clicks the (hidden) Vorige/Volgende buttons; F toggles full screen,
// Esc leaves presentation mode. It acts only while the marker of presentation mode is on the page.
(() => {
  const NEXT = new Set(["PageDown", "ArrowRight", "ArrowDown", " "]);
  const PREVIOUS = new Set(["PageUp", "ArrowLeft", "ArrowUp"]);
  const click = (key) => {
    const button = document.querySelector(`.st-key-${key} button`);
    if (button && !button.disabled) button.click();
  };
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)
    && !(el.type === "checkbox"));
  const toggleFullscreen = () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(() => {});
  };
  const onKey = (event) => {
    if (!document.getElementById("qs-presenting")) return;
    if (event.ctrlKey || event.altKey || event.metaKey || typing(document.activeElement)) return;
    let handled = true;
    if (NEXT.has(event.key)) click("slide-next");
    else if (PREVIOUS.has(event.key)) click("slide-previous");
    else if (event.key === "f" || event.key === "F") toggleFullscreen();
    else if (event.key === "Escape") {
      if (document.fullscreenElement) document.exitFullscreen();
      click("presentation-exit");
    } else handled = false;
    if (handled) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  };
  // The page re-runs this script on every rerun of the slide: replace the listener, never add a second.
  if (window.__quickscanSlideKeys) window.removeEventListener("keydown", window.__quickscanSlideKeys, true);
  window.__quickscanSlideKeys = onKey;
  window.addEventListener("keydown", onKey, true);
  // Focus left on the toggle (or a button) would swallow the first key: give it back to the page.
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
})();
