import { readFileSync } from 'node:fs';
import { and, not, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { conversationMachine } from '../../../machines/conversation.ts';
import { CONVERSATION_STATES } from '../../../src/core/conversation-events.ts';
import { renderDiagram } from '../../../src/report/diagram/render-diagram.ts';
import { statechartGraph } from '../../../src/report/diagram/statechart-graph.ts';
import { toDot } from '../../../src/report/diagram/to-dot.ts';
import { toMermaid } from '../../../src/report/diagram/to-mermaid.ts';

const door = setup({
  types: { events: {} as { type: 'OPEN' } | { type: 'CLOSE' } | { type: 'KNOCK' } },
  guards: { unlocked: () => true, quiet: () => true },
  actions: { creak: () => undefined },
}).createMachine({
  id: 'door',
  initial: 'closed',
  states: {
    closed: {
      on: {
        OPEN: [{ guard: and(['unlocked', not('quiet')]), target: 'open', actions: 'creak' }, { target: 'open' }],
        KNOCK: {},
      },
    },
    open: { initial: 'wide', states: { wide: {}, ajar: {} }, on: { CLOSE: '#door.closed' } },
  },
});

describe('statechartGraph', () => {
  it('reads states, priorities, guards and actions from the machine itself', () => {
    const graph = statechartGraph(door);
    expect(graph.states.map((s) => [s.id, s.kind, s.initial])).toEqual([
      ['door', 'compound', 'door.closed'],
      ['door.closed', 'atomic', null],
      ['door.open', 'compound', 'door.open.wide'],
      ['door.open.wide', 'atomic', null],
      ['door.open.ajar', 'atomic', null],
    ]);
    expect(graph.transitions).toEqual([
      { from: 'door.closed', to: 'door.open', event: 'OPEN', priority: 1, guard: 'unlocked ∧ ¬quiet', actions: ['creak'] },
      { from: 'door.closed', to: 'door.open', event: 'OPEN', priority: 2, guard: null, actions: [] },
      { from: 'door.closed', to: null, event: 'KNOCK', priority: 1, guard: null, actions: [] },
      { from: 'door.open', to: 'door.closed', event: 'CLOSE', priority: 1, guard: null, actions: [] },
    ]);
  });

  it('writes DOT with clusters and merged parallel edges', () => {
    const dot = toDot(statechartGraph(door));
    expect(dot).toContain('subgraph "cluster_door.open" {');
    expect(dot).toContain('"s:door.closed" -> "s:door.open.wide" [label="1. OPEN\\l[unlocked ∧ ¬quiet]\\l/ creak\\l\\l2. OPEN\\l", lhead="cluster_door.open"];');
    expect(dot).toContain('"s:door.closed" -> "s:door.closed" [label="1. KNOCK\\l(stays)\\l", style=dashed];');
    expect(dot).toContain('"s:door.open.wide" -> "s:door.closed" [label="1. CLOSE\\l", ltail="cluster_door.open"];');
  });

  it('writes Mermaid', () => {
    expect(toMermaid(statechartGraph(door))).toContain('door_closed --> door_open : 1. OPEN [unlocked ∧ ¬quiet] / creak');
  });
});

describe('the conversation machine diagram', () => {
  it('shows every top-level state and the gate guards', async () => {
    const svg = (await renderDiagram(conversationMachine, 'svg')) as string;
    for (const state of CONVERSATION_STATES) expect(svg).toContain(`>${state}</text>`);
    for (const guard of ['minRedirects', 'protectAtRisk(model)', 'honorUserRequests', 'endableCategories']) expect(svg).toContain(guard);
  });

  it('docs/diagram.svg is what `welfare-sim diagram` draws now', async () => {
    const fresh = (await renderDiagram(conversationMachine, 'svg')) as string;
    // if this fails, the machine changed: regenerate with `npx tsx src/cli/main.ts diagram --out docs/diagram.svg`
    expect(readFileSync('docs/diagram.svg', 'utf8') === fresh).toBe(true);
  });

  it('renders a PNG', async () => {
    const png = (await renderDiagram(conversationMachine, 'png')) as Buffer;
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
