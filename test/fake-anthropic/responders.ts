/**
 * Responders for the fake server that answer by what a request is for, not by arrival order: the probe and the
 * judge run in parallel with each other, so a per-test queue would race. A request that forces a tool
 * (`tool_choice: {type: 'tool', name}`) is answered by that tool's handler; anything else is an assistant turn.
 */
import type { MessagesRequestBody, MessagesResponder } from './server.ts';
import type { ScriptedReply } from './replies.ts';

export interface PurposeHandlers {
  /** Assistant turns, answered in order (the last one repeats). */
  readonly assistant: readonly ScriptedReply[] | ((body: MessagesRequestBody) => ScriptedReply);
  /** Forced tool name → answer. */
  readonly tools?: Readonly<Record<string, ScriptedReply | ((body: MessagesRequestBody) => ScriptedReply)>>;
}

export function forcedTool(body: MessagesRequestBody): string | undefined {
  return body.tool_choice?.type === 'tool' ? body.tool_choice.name : undefined;
}

export function byPurpose(handlers: PurposeHandlers): MessagesResponder {
  let assistantTurns = 0;
  return (body) => {
    const tool = forcedTool(body);
    if (tool !== undefined) {
      const handler = handlers.tools?.[tool];
      if (handler === undefined) return { kind: 'error', status: 500, errorType: 'api_error', message: `no handler for forced tool ${tool}` };
      return typeof handler === 'function' ? handler(body) : handler;
    }
    if (typeof handlers.assistant === 'function') return handlers.assistant(body);
    const replies = handlers.assistant;
    const reply = replies[Math.min(assistantTurns++, replies.length - 1)];
    if (reply === undefined) return { kind: 'error', status: 500, errorType: 'api_error', message: 'no assistant replies scripted' };
    return reply;
  };
}
