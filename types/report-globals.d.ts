// Globals of the report page, for type-checking its client scripts (src/report/html/client, tsconfig.browser.json):
// the vega-embed browser build, inlined before them, defines `vegaEmbed` on the window.
declare const vegaEmbed: typeof import('vega-embed').default | undefined;
