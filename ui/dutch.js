// Streamlit has no locale: the English names it gives screen readers, in Dutch. Loaded on every page by
// ui.widgets.dutch_ui; runs once per browser tab and keeps up with what Streamlit draws later.
(() => {
  if (window.quickscanDutch) {
    return;
  }
  window.quickscanDutch = true;
  // aria-label prefix -> Dutch; "Help for Groepskolom" is the help icon beside a widget's label.
  const PREFIXES = [["Help for ", "Uitleg bij "]];
  const SKIP_LINK = ["Skip to main content", "Naar de inhoud"];

  function translate() {
    for (const [english, dutch] of PREFIXES) {
      for (const element of document.querySelectorAll(`[aria-label^="${english}"]`)) {
        element.setAttribute("aria-label", dutch + element.getAttribute("aria-label").slice(english.length));
      }
    }
    for (const link of document.querySelectorAll("[data-testid='stSkipToContent']")) {
      if (link.textContent === SKIP_LINK[0]) {
        link.textContent = SKIP_LINK[1];
      }
    }
  }

  translate();
  new MutationObserver(translate).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"],
  });
})();
