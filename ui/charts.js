// A plotly chart drawn with the dashboard's partial plotly.js (analysis/report/exports/vendor/plotly-quickscan.min.js,
// 1.2 MB) instead of Streamlit's PlotlyChart chunk (4.7 MB). The bundle is loaded once per browser tab and kept
// across page switches; every chart on every page draws with the same window.Plotly.
// ``data``: {figure: plotly JSON (as plotly.py writes it), look: the template Streamlit's own chart element
// puts on a figure in this app's light theme, config, bundle: the bundle's URL, label: the text alternative}.

const FULLSCREEN_ICON = {width: 600, height: 470, path: "M32 32C14.3 32 0 46.3 0 64v96c0 17.7 14.3 32 32 32s32-14.3 32-32V96h64c17.7 0 32-14.3 32-32s-14.3-32-32-32H32zM64 352c0-17.7-14.3-32-32-32s-32 14.3-32 32v96c0 17.7 14.3 32 32 32h96c17.7 0 32-14.3 32-32s-14.3-32-32-32H64V352zM320 32c-17.7 0-32 14.3-32 32s14.3 32 32 32h64v64c0 17.7 14.3 32 32 32s32-14.3 32-32V64c0-17.7-14.3-32-32-32H320zM448 352c0-17.7-14.3-32-32-32s-32 14.3-32 32v64H320c-17.7 0-32 14.3-32 32s14.3 32 32 32h96c17.7 0 32-14.3 32-32V352z"};

function plotly(url) {
  if (window.Plotly && window.Plotly.react) return Promise.resolve(window.Plotly);
  if (!window.qsPlotly) {
    window.qsPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        window.qsPlotly = null;  // a later chart tries again
        reject(new Error("plotly.js kon niet worden geladen: " + url));
      };
      document.head.appendChild(script);
    });
  }
  return window.qsPlotly;
}

// What Streamlit's chart element does to a figure: its theme's template, the title in bold, and the width of the
// element it is drawn in (set, as Streamlit sets it; the height is the figure's own).
function withLook(figure, look) {
  const layout = {...figure.layout, template: look};
  if (layout.title && typeof layout.title.text === "string" && layout.title.text) {
    layout.title = {...layout.title, text: "<b>" + layout.title.text + "</b>"};
  }
  return {data: figure.data || [], layout};
}

export default function ({data, parentElement}) {
  if (!data.figure) {  // the preload: the bundle starts loading while the page's figures are still being made
    plotly(data.bundle).catch(() => {});
    return;
  }
  const figure = withLook(JSON.parse(data.figure), data.look);
  const height = figure.layout.height || 450;
  let box = parentElement.querySelector(".qs-chart");
  if (!box) {
    box = document.createElement("div");
    box.className = "qs-chart";
    box.dataset.testid = "qsChart";
    parentElement.appendChild(box);
  }
  // The room for the chart is kept while plotly.js loads, so nothing below it jumps.
  box.style.cssText = `width:100%;min-height:${height}px`;
  box.setAttribute("role", "img");
  box.setAttribute("aria-label", data.label);
  const config = {displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d", "sendDataToCloud"],
                  responsive: false, ...data.config};
  let closed = false, observer = null, onFullscreen = null;
  plotly(data.bundle).then((Plotly) => {
    if (closed) return;
    if (config.displayModeBar !== false) {
      const toggle = () => (document.fullscreenElement === box ? document.exitFullscreen()
                                                                : box.requestFullscreen());
      config.modeBarButtonsToAdd = [{name: "Volledig scherm", title: "Volledig scherm", icon: FULLSCREEN_ICON,
                                     click: toggle}];
      onFullscreen = () => (document.fullscreenElement === box
        ? Plotly.relayout(box, {width: window.innerWidth, height: window.innerHeight})
        : Plotly.relayout(box, {width: box.clientWidth, height}));
      box.addEventListener("fullscreenchange", onFullscreen);
    }
    // The width the chart was last drawn at, on the box once plotly.js is done: tests wait for it after a resize.
    let width = box.clientWidth;
    const drawn = (at) => () => { if (at === width) box.dataset.drawnWidth = String(at); };
    box.dataset.drawnWidth = "";
    Plotly.react(box, figure.data, {...figure.layout, width: width || undefined}, config).then(drawn(width));
    observer = new ResizeObserver(() => {
      if (box.clientWidth && box.clientWidth !== width) {
        width = box.clientWidth;
        box.dataset.drawnWidth = "";
        Plotly.relayout(box, {width}).then(drawn(width));
      }
    });
    observer.observe(box);
  }).catch((error) => {
    box.textContent = "Deze grafiek kon niet worden getekend. Laad de pagina opnieuw.";
    console.error(error);
  });
  return () => {
    closed = true;
    if (observer) observer.disconnect();
    if (onFullscreen) box.removeEventListener("fullscreenchange", onFullscreen);
  };
}
