/**
 * StatechartGraph → Graphviz DOT: compound states as clusters, the machine's own transitions (from any state)
 * drawn from an "any state" node, an initial arrow into each initial child, targetless transitions as self-loops.
 */
import type { DiagramState, DiagramTransition, StatechartGraph } from './statechart-graph.ts';

const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const nodeId = (stateId: string): string => quote(`s:${stateId}`);
const clusterId = (stateId: string): string => quote(`cluster_${stateId}`);

/** Edge label lines, left-justified: `n. EVENT`, `[guard ∧ guard …]` wrapped, `/ actions`. */
export function transitionLabel(t: DiagramTransition, width = 46): string[] {
  const lines = [`${t.priority}. ${t.event}`];
  if (t.guard !== null) {
    let line = '[';
    for (const part of t.guard.split(' ∧ ')) {
      const piece = line === '[' ? part : ` ∧ ${part}`;
      if (line.length + piece.length > width && line !== '[') {
        lines.push(line);
        line = `  ∧ ${part}`;
      } else line += piece;
    }
    lines.push(`${line}]`);
  }
  if (t.actions.length) lines.push(`/ ${t.actions.join(', ')}`);
  if (t.to === null) lines.push('(stays)');
  return lines;
}

function dotLabel(lines: readonly string[]): string {
  return `"${lines.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\l')}\\l"`;
}

/** The state a DOT edge attaches to: compound states are clusters, so attach to their initial leaf. */
function anchor(states: ReadonlyMap<string, DiagramState>, id: string): string {
  let state = states.get(id);
  while (state && state.initial !== null) state = states.get(state.initial);
  return state?.id ?? id;
}

export function toDot(graph: StatechartGraph): string {
  const states = new Map(graph.states.map((s) => [s.id, s]));
  const children = (parent: string): DiagramState[] => graph.states.filter((s) => s.parent === parent);
  const out: string[] = [
    `digraph ${quote(graph.machineId)} {`,
    '  compound=true; rankdir=TB; nodesep=0.6; ranksep=0.6; newrank=true;',
    '  graph [fontname="DejaVu Sans", fontsize=13, labeljust=l];',
    '  node [fontname="DejaVu Sans", fontsize=13, shape=box, style="rounded,filled", fillcolor="#eef2ff", color="#3b5bdb"];',
    '  edge [fontname="DejaVu Sans", fontsize=9, color="#555555", arrowsize=0.7];',
  ];
  const root = graph.states.find((s) => s.parent === null);
  const emit = (state: DiagramState, indent: string): void => {
    const kids = children(state.id);
    if (kids.length === 0) {
      const fill = state.kind === 'final' ? ', fillcolor="#fde2e1"' : '';
      out.push(`${indent}${nodeId(state.id)} [label=${quote(state.key)}${fill}];`);
      return;
    }
    out.push(`${indent}subgraph ${clusterId(state.id)} {`, `${indent}  label=${quote(state.key)}; style="rounded"; color="#8899bb";`);
    if (state.initial !== null) {
      out.push(`${indent}  ${quote(`init:${state.id}`)} [shape=point, width=0.12, label=""];`);
    }
    for (const kid of kids) emit(kid, `${indent}  `);
    out.push(`${indent}}`);
    if (state.initial !== null) out.push(`${indent}${quote(`init:${state.id}`)} -> ${nodeId(anchor(states, state.initial))};`);
  };
  if (root) emit(root, '  ');
  const fromAny = graph.transitions.some((t) => t.from === root?.id);
  if (fromAny) out.push(`  ${quote('any')} [label="any state", shape=plaintext, style="", fontcolor="#555555"];`);
  // Transitions between the same two states share one edge, their labels stacked in priority order: a
  // dozen parallel curves with a label each cannot be read.
  const edges = new Map<string, { from: string; to: string; attributes: Set<string>; labels: string[][]; dashed: boolean }>();
  for (const t of graph.transitions) {
    const fromState = states.get(t.from);
    const isRoot = t.from === root?.id;
    const from = isRoot ? quote('any') : nodeId(anchor(states, t.from));
    const targetId = t.to ?? t.from;
    const to = nodeId(anchor(states, targetId));
    const attributes: string[] = [];
    if (!isRoot && fromState && children(fromState.id).length > 0) attributes.push(`ltail=${clusterId(fromState.id)}`);
    const target = states.get(targetId);
    if (target && children(target.id).length > 0 && t.to !== null) attributes.push(`lhead=${clusterId(target.id)}`);
    const key = `${from} -> ${to} ${attributes.join(' ')}`;
    const edge = edges.get(key) ?? { from, to, attributes: new Set(attributes), labels: [], dashed: true };
    edge.labels.push(transitionLabel(t));
    edge.dashed &&= t.to === null;
    edges.set(key, edge);
  }
  for (const edge of edges.values()) {
    const attributes = [`label=${dotLabel(edge.labels.flatMap((lines, i) => (i === 0 ? lines : ['', ...lines])))}`, ...edge.attributes];
    if (edge.dashed) attributes.push('style=dashed');
    out.push(`  ${edge.from} -> ${edge.to} [${attributes.join(', ')}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
