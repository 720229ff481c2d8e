/**
 * Draws the conversation statechart from its definition: machine → graph → DOT (or Mermaid) → Graphviz layout
 * (WebAssembly, no system Graphviz needed) → SVG → PNG (resvg).
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import type { AnyStateMachine } from 'xstate';
import { svgToPng } from '../render-chart.ts';
import { statechartGraph } from './statechart-graph.ts';
import { toDot } from './to-dot.ts';
import { toMermaid } from './to-mermaid.ts';

import type { DiagramFormat } from './diagram-formats.ts';
export { DIAGRAM_FORMATS, type DiagramFormat } from './diagram-formats.ts';

/** Lays a DOT graph out with Graphviz `dot` and returns the SVG document. */
export async function dotToSvg(dot: string): Promise<string> {
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, 'svg');
}

/** The machine drawn in `format`: text for svg, dot and mermaid; PNG bytes for png. */
export async function renderDiagram(machine: AnyStateMachine, format: DiagramFormat): Promise<string | Buffer> {
  const graph = statechartGraph(machine);
  if (format === 'mermaid') return toMermaid(graph);
  const dot = toDot(graph);
  if (format === 'dot') return dot;
  const svg = await dotToSvg(dot);
  return format === 'svg' ? svg : svgToPng(svg, 1.5);
}
