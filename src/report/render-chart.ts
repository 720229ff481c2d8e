/**
 * Headless rendering: vega-lite spec → vega → SVG (vega's own SVG renderer, no DOM, no canvas), and SVG → PNG
 * through resvg (a Rust rasteriser; the `canvas` package does not install everywhere).
 */
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/** The longest side of any PNG, in pixels, whatever the size of the run. */
export const MAX_PNG_SIDE = 2400;

/**
 * Rounds the numbers inside attribute values (coordinates, path data) to one decimal: a tenth of a pixel is
 * invisible, and a sweep's charts shrink by a third. Text content (labels) is left as it is.
 */
export function compactSvg(svg: string): string {
  return svg.replace(/="([^"]*)"/g, (_, value: string) => `="${value.replace(/(\d\.\d)\d+/g, '$1')}"`);
}

/** Renders a vega-lite spec to a standalone SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** The width and height an SVG document declares on its root element. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg[^>]*>/.exec(svg)?.[0] ?? '';
  return { width: Number(/ width="([\d.]+)"/.exec(root)?.[1] ?? 0), height: Number(/ height="([\d.]+)"/.exec(root)?.[1] ?? 0) };
}

/**
 * Rasterises an SVG at `scale` × its size (2 by default, sharp on high-density screens and in slides), lowered
 * where needed so that neither side exceeds MAX_PNG_SIDE pixels.
 */
export function svgToPng(svg: string, scale = 2): Buffer {
  const { width, height } = svgSize(svg);
  const fitted = Math.min(scale, MAX_PNG_SIDE / Math.max(1, width), MAX_PNG_SIDE / Math.max(1, height));
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: fitted },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
