// Globals of the report page, for type-checking report-client.js (tsconfig.browser.json): the vega-embed browser
// build, inlined before the client script, defines `vegaEmbed` on the window.
declare const vegaEmbed: typeof import('vega-embed').default | undefined;
