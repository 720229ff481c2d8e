/**
 * `run --trace`: every XState inspection event of every conversation, one JSON line each in trace.jsonl — the
 * events the actor received, the snapshots it went through and the transitions it took, for debugging a policy.
 */
import type { InspectionEvent } from 'xstate';
import type { JsonlAppender } from '../store/jsonl-appender.ts';

export interface TraceRecord {
  readonly v: 1;
  readonly conversation: string;
  readonly type: InspectionEvent['type'];
  readonly event?: string;
  readonly state?: unknown;
  readonly transitions?: readonly { readonly source: string; readonly targets: readonly string[]; readonly guard?: string }[];
}

export function traceRecord(conversation: string, inspection: InspectionEvent): TraceRecord {
  switch (inspection.type) {
    case '@xstate.event':
      return { v: 1, conversation, type: inspection.type, event: inspection.event.type };
    case '@xstate.snapshot':
      return { v: 1, conversation, type: inspection.type, event: inspection.event.type, state: (inspection.snapshot as { value?: unknown }).value };
    case '@xstate.microstep':
      return {
        v: 1,
        conversation,
        type: inspection.type,
        event: inspection.event.type,
        state: (inspection.snapshot as { value?: unknown }).value,
        transitions: inspection._transitions.map((t) => ({
          source: t.source.id,
          targets: (t.target ?? []).map((target) => target.id),
          ...(typeof t.guard === 'string' ? { guard: t.guard } : {}),
        })),
      };
    default:
      return { v: 1, conversation, type: inspection.type };
  }
}

/** An inspector that appends a conversation's inspection events to trace.jsonl. */
export function tracer(appender: JsonlAppender, conversation: string): (event: InspectionEvent) => void {
  return (event) => appender.append(traceRecord(conversation, event));
}
