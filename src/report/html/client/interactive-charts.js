// @ts-check
// The report's interactive charts: each is drawn by vega-embed the first time its fold is opened, so a page with
// many charts loads fast. Inlined into report.html as a module script after the vega builds (report-page.ts).

/** @typedef {{ readonly name: string, readonly title: string, readonly spec: import('vega-embed').VisualizationSpec }} InteractiveChart */

/** @type {readonly InteractiveChart[] | undefined} */
let parsedCharts;

/** The charts embedded in the page's data, parsed once, on the first open (the data also holds the transcripts). */
function interactiveCharts() {
  if (parsedCharts === undefined) {
    const payload = /** @type {{ charts: InteractiveChart[] }} */ (JSON.parse(document.getElementById('report-data')?.textContent ?? '{"charts":[]}'));
    parsedCharts = payload.charts;
  }
  return parsedCharts;
}

/**
 * Draws the named chart into `target`, or says there why it cannot.
 * @param {HTMLElement} target
 * @param {string | undefined} name
 */
function drawChart(target, name) {
  const chart = interactiveCharts().find((c) => c.name === name);
  if (!chart || typeof vegaEmbed !== 'function') {
    target.textContent = 'The interactive version is not available in this page.';
    return;
  }
  vegaEmbed(target, chart.spec, { actions: false, renderer: 'svg', tooltip: true }).catch((/** @type {Error} */ error) => {
    target.textContent = 'Could not draw the interactive chart: ' + error.message;
  });
}

/**
 * Draws the fold's chart the first time it is opened.
 * @param {HTMLDetailsElement} details
 */
function embedOnFirstOpen(details) {
  details.addEventListener('toggle', () => {
    if (!details.open || details.dataset.embedded) return;
    details.dataset.embedded = 'yes';
    const target = details.querySelector('.embed-target');
    if (target instanceof HTMLElement) drawChart(target, details.dataset.chart);
  });
}

document.querySelectorAll('details.interactive').forEach((details) => {
  if (details instanceof HTMLDetailsElement) embedOnFirstOpen(details);
});
