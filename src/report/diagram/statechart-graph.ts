/**
 * A statechart's own definition as a plain graph: its state nodes (nested) and every transition with its event,
 * guard (by name, higher-order guards spelled out) and actions, in the order XState tries them. Read from the
 * machine object itself, so the picture cannot drift from the code.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';

export interface DiagramState {
  /** XState's node id, e.g. `conversation.redirecting.warned`. */
  readonly id: string;
  readonly key: string;
  readonly parent: string | null;
  readonly kind: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** The initial child's id (compound states). */
  readonly initial: string | null;
}

export interface DiagramTransition {
  readonly from: string;
  /** Target state id; null for a targetless transition (the state stays, actions run). */
  readonly to: string | null;
  readonly event: string;
  /** 1-based position among this state's transitions for the event: XState takes the first whose guard holds. */
  readonly priority: number;
  readonly guard: string | null;
  readonly actions: readonly string[];
}

export interface StatechartGraph {
  readonly machineId: string;
  readonly states: readonly DiagramState[];
  readonly transitions: readonly DiagramTransition[];
}

type GuardLike = string | { readonly type?: unknown; readonly params?: unknown } | ((...args: never[]) => unknown);

function paramsText(params: unknown): string {
  if (params === null || typeof params !== 'object') return '';
  const values = Object.values(params as Record<string, unknown>).map((v) => String(v));
  return values.length ? `(${values.join(', ')})` : '';
}

/** A guard as text: `name`, `name(param)`, `a ∧ b`, `a ∨ b`, `¬a`. */
export function guardName(guard: unknown): string {
  const g = guard as GuardLike;
  if (typeof g === 'string') return g;
  if (typeof g === 'function') {
    const inner = (g as { guards?: readonly unknown[] }).guards;
    if (Array.isArray(inner)) {
      if (g.name === 'not') return `¬${guardName(inner[0])}`;
      const joined = inner.map(guardName).join(g.name === 'or' ? ' ∨ ' : ' ∧ ');
      return joined;
    }
    return g.name || 'inline guard';
  }
  if (g !== null && typeof g === 'object' && typeof g.type === 'string') return g.type + paramsText(g.params);
  return 'guard';
}

function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'function') return action.name || 'inline action';
  if (action !== null && typeof action === 'object' && typeof (action as { type?: unknown }).type === 'string') {
    const typed = action as { type: string; params?: unknown };
    return typed.type + paramsText(typed.params);
  }
  return 'action';
}

/** Walks the machine's state nodes depth-first in definition order. */
export function statechartGraph(machine: AnyStateMachine): StatechartGraph {
  const states: DiagramState[] = [];
  const transitions: DiagramTransition[] = [];
  const visit = (node: AnyStateNode, parent: string | null): void => {
    const initial = node.initial?.target?.[0]?.id ?? null;
    states.push({ id: node.id, key: node.key, parent, kind: node.type, initial });
    for (const [event, definitions] of node.transitions) {
      definitions.forEach((definition, i) => {
        transitions.push({
          from: node.id,
          to: definition.target?.[0]?.id ?? null,
          event,
          priority: i + 1,
          guard: definition.guard === undefined ? null : guardName(definition.guard),
          actions: definition.actions.map(actionName),
        });
      });
    }
    for (const child of Object.values(node.states)) visit(child, node.id);
  };
  visit(machine.root, null);
  return { machineId: machine.root.id, states, transitions };
}
