// Streamlit has no locale: the English it shows (placeholders, tooltips of table and chart buttons) and the names it
// gives screen readers, in Dutch. Loaded on every page by ui.widgets.dutch_ui; runs once per browser tab and keeps
// up with what Streamlit draws later. Only exact English strings are replaced, so text from an upload never is.
(() => {
  if (window.quickscanDutch) {
    return;
  }
  window.quickscanDutch = true;
  // Button names: aria-label, plotly's data-title, and the tooltip Streamlit shows on hover.
  const NAMES = new Map([
    ["Collapse sidebar", "Zijbalk inklappen"],
    ["Expand sidebar", "Zijbalk uitklappen"],
    ["Open", "Openen"],
    ["Clear all", "Alles wissen"],
    ["Show/hide columns", "Kolommen tonen of verbergen"],
    ["Search", "Zoeken"],
    ["Fullscreen", "Volledig scherm"],
    ["Close fullscreen", "Volledig scherm sluiten"],
    ["Download as CSV", "Downloaden als csv"],
    ["Download plot as a PNG", "Grafiek downloaden als PNG"],
    ["Share chart...", "Grafiek delen…"],
    ["Zoom", "Inzoomen"],
    ["Zoom in", "Inzoomen"],
    ["Zoom out", "Uitzoomen"],
    ["Pan", "Verschuiven"],
    ["Reset axes", "Assen herstellen"],
    ["Autoscale", "Automatisch schalen"],
    ["Add files", "Bestand toevoegen"],
  ]);
  // aria-label prefix -> Dutch; "Help for Groepskolom" is the help icon beside a widget's label.
  const PREFIXES = [["Help for ", "Uitleg bij "], ["Remove ", "Verwijder "]];
  const PLACEHOLDERS = new Map([
    ["Choose an option", "Kies een optie"],
    ["Choose options", "Kies een of meer opties"],
    ["No options to select", "Geen opties om te kiezen"],
  ]);
  const TEXTS = new Map([["No results", "Geen resultaten"], ["Skip to main content", "Naar de inhoud"]]);
  // The uploader refuses a file in the browser, before our size message can speak (read out by screen readers).
  const UPLOAD_ERRORS = [
    [/^Error: File must be (.+) or smaller\.$/, "Fout: het bestand is te groot (hoogstens $1)."],
    [/^Error: (.+) files are not allowed\.$/, "Fout: bestanden van het type $1 worden niet gelezen."],
    [/^Error: (.+)$/, "Fout: $1"],
  ];

  function renameAttribute(attribute) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      const value = element.getAttribute(attribute);
      let dutch = NAMES.get(value);
      for (const [english, prefix] of PREFIXES) {
        if (dutch === undefined && attribute === "aria-label" && value.startsWith(english)) {
          dutch = prefix + value.slice(english.length);
        }
      }
      if (dutch !== undefined) {
        element.setAttribute(attribute, dutch);
      }
    }
  }

  function translate() {
    renameAttribute("aria-label");
    renameAttribute("data-title");
    for (const input of document.querySelectorAll("input[placeholder]")) {
      const dutch = PLACEHOLDERS.get(input.getAttribute("placeholder"));
      if (dutch) {
        input.setAttribute("placeholder", dutch);
      }
    }
    for (const alert of document.querySelectorAll("[data-testid='stFileUploader'] [role='alert']")) {
      const rule = UPLOAD_ERRORS.find(([english]) => english.test(alert.textContent));
      if (rule && alert.children.length === 0) {
        alert.textContent = alert.textContent.replace(rule[0], rule[1]);
      }
    }
    const texts = "[data-testid='stTooltipContent'] p, [data-testid='stSkipToContent'], [role='listbox'] li";
    for (const element of document.querySelectorAll(texts)) {
      const dutch = element.children.length === 0 && (NAMES.get(element.textContent) || TEXTS.get(element.textContent));
      if (dutch) {
        element.textContent = dutch;
      }
    }
  }

  translate();
  new MutationObserver(translate).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ["aria-label", "data-title", "placeholder"],
  });
})();
