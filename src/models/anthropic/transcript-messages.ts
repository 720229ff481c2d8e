/**
 * Turns a welfare-sim transcript into Messages API turns. The conversation is rebuilt the same way every time
 * (tool-use ids are derived from the position), so an identical transcript gives a byte-identical request and the
 * call cache can recognise it. A refused end attempt is followed by exactly the notice the runner recorded as
 * `told`: as the tool result (tool mechanism) or as a note before the user's next message (string mechanism).
 * Under the probe mechanism the end request was the answer to a side question the model was told would be removed
 * from the conversation: the main conversation never asked to end, so it carries no notice.
 */
import type { ContentBlockParam, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { EndMechanism } from '../../core/anthropic-model-entry.ts';
import type { TranscriptEntry } from '../assistant-model.ts';

export interface RenderOptions {
  readonly mechanism: EndMechanism;
  readonly endToolName: string;
}

/** Said in place of an empty assistant turn, which the API rejects. */
const EMPTY_REPLY = '(no reply)';
/** Tool result for an end call that has no recorded notice (should not happen; keeps the request valid). */
const DEFAULT_CONTINUES = 'The conversation continues.';

export function endToolUseId(assistantIndex: number): string {
  return `toolu_end_${assistantIndex}`;
}

/** Whether this recorded reply called the end tool (and so needs a tool_result after it). */
function calledEndTool(entry: TranscriptEntry, options: RenderOptions): boolean {
  return entry.role === 'assistant' && entry.action === 'end' && options.mechanism === 'tool';
}

export function transcriptMessages(transcript: readonly TranscriptEntry[], options: RenderOptions): MessageParam[] {
  const messages: MessageParam[] = [];
  let pendingToolResult: { id: string; notice: string } | undefined;
  let pendingNote: string | undefined;
  transcript.forEach((entry, index) => {
    if (entry.role === 'assistant') {
      const content: ContentBlockParam[] = [];
      if (entry.text.trim() !== '') content.push({ type: 'text', text: entry.text });
      if (calledEndTool(entry, options)) {
        const id = endToolUseId(index);
        content.push({ type: 'tool_use', id, name: options.endToolName, input: {} });
        pendingToolResult = { id, notice: entry.vetoNotice ?? DEFAULT_CONTINUES };
      } else if (entry.vetoNotice !== undefined && options.mechanism !== 'probe') {
        pendingNote = entry.vetoNotice;
      }
      if (content.length === 0) content.push({ type: 'text', text: EMPTY_REPLY });
      messages.push({ role: 'assistant', content });
      return;
    }
    const content: ContentBlockParam[] = [];
    if (pendingToolResult) content.push({ type: 'tool_result', tool_use_id: pendingToolResult.id, content: pendingToolResult.notice });
    if (pendingNote !== undefined) content.push({ type: 'text', text: pendingNote });
    content.push({ type: 'text', text: entry.text });
    pendingToolResult = undefined;
    pendingNote = undefined;
    messages.push({ role: 'user', content: content.length === 1 ? entry.text : content });
  });
  return messages;
}
