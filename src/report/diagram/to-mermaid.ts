/** StatechartGraph → Mermaid `stateDiagram-v2` (renders on GitHub and in many Markdown viewers). */
import { transitionLabel } from './to-dot.ts';
import type { DiagramState, StatechartGraph } from './statechart-graph.ts';

// Mermaid state ids may not contain dots; labels may not contain colons or semicolons.
const mermaidId = (stateId: string): string => stateId.replace(/[^A-Za-z0-9_]/g, '_');
const mermaidText = (text: string): string => text.replace(/[:;#]/g, ' ');

export function toMermaid(graph: StatechartGraph): string {
  const out = ['stateDiagram-v2'];
  const root = graph.states.find((s) => s.parent === null);
  const children = (parent: string): DiagramState[] => graph.states.filter((s) => s.parent === parent);
  const emit = (state: DiagramState, indent: string): void => {
    if (state.initial !== null) out.push(`${indent}[*] --> ${mermaidId(state.initial)}`);
    for (const kid of children(state.id)) {
      out.push(`${indent}state "${mermaidText(kid.key)}" as ${mermaidId(kid.id)}`);
      if (children(kid.id).length > 0) {
        out.push(`${indent}state ${mermaidId(kid.id)} {`);
        emit(kid, `${indent}  `);
        out.push(`${indent}}`);
      }
    }
  };
  if (root) emit(root, '  ');
  for (const t of graph.transitions) {
    const label = mermaidText(transitionLabel(t, 1000).join(' '));
    const targets = t.from === root?.id ? children(root.id).map((s) => s.id) : [t.from];
    for (const from of targets) out.push(`  ${mermaidId(from)} --> ${mermaidId(t.to ?? from)} : ${label}`);
  }
  return out.join('\n') + '\n';
}
