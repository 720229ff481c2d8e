/**
 * Shared look of every chart: one font, colours that keep their meaning from chart to chart (an outcome or a
 * state is always the same colour), and the schema URL each spec declares.
 */
import type { Config } from 'vega-lite';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export const CHART_CONFIG: Config = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  view: { stroke: '#ddd' },
  // generous limits: without a canvas, vega over-estimates text widths and would cut sweep variant names short
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 440 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 440 },
  title: { fontSize: 15, anchor: 'start', subtitleFontSize: 12, subtitleColor: '#555' },
};

/**
 * For charts with hundreds of marks (sweeps): no per-mark aria-label (vega would describe every whisker in words,
 * tripling the SVG); the chart keeps its title and description, and tooltips carry the numbers.
 */
export const LARGE_CHART_CONFIG: Config = { ...CHART_CONFIG, mark: { aria: false } };

export const OUTCOME_LABELS: Readonly<Record<string, string>> = {
  'ended-by-model': 'ended by model',
  'ended-by-user-request': 'ended at user request',
  'ended-by-platform': 'ended by platform',
  'not-ended': 'not ended',
};
export const OUTCOME_COLOURS = ['#d62728', '#1f77b4', '#9467bd', '#7f7f7f'];

export const STATE_ORDER = ['engaged', 'redirecting', 'ended', 'branched'];
export const STATE_COLOURS = ['#4c9f70', '#f2a93b', '#c0392b', '#5b7bd5'];
