/**
 * Reads a forced tool call's answer from a Messages API reply and validates it, so a probe or judge answer that
 * is malformed fails loudly with what was wrong instead of being recorded as a made-up number.
 */
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { z } from 'zod';

export function toolAnswer<S extends z.ZodType>(message: Message, toolName: string, schema: S, label: string): z.output<S> {
  const block = message.content.find((b) => b.type === 'tool_use' && b.name === toolName);
  if (!block || block.type !== 'tool_use') {
    throw new Error(`${label}: expected a ${toolName} tool call in the reply, found none (stop_reason ${message.stop_reason})`);
  }
  const parsed = schema.safeParse(block.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
    throw new Error(`${label}: the ${toolName} answer did not match its schema: ${issues}`);
  }
  return parsed.data;
}
