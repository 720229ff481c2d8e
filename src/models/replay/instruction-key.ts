/**
 * What a model is told besides the transcript, as a key: a replay answers only when this is what the recorded model
 * was told too. For a Claude model that is everything sent with the messages (system prompt, end tool, model
 * name, token limit), which the policy changes through the rules it announces (e.g. a warning before ending). For
 * a simulated model it is the policy's rules the model itself follows (protecting users at risk, warning first).
 */
import type { ModelEntry } from '../../core/model-profile.ts';
import type { Policy } from '../../core/policy.ts';
import { canonicalJson } from '../../core/canonical-json.ts';
import { endTool, systemPrompt } from '../anthropic/end-mechanism.ts';

export function instructionKey(entry: ModelEntry, policy: Policy): string | null {
  switch (entry.kind) {
    case 'anthropic':
      return canonicalJson({
        model: entry.model,
        system: systemPrompt(entry, policy),
        tools: entry.endMechanism === 'tool' ? [endTool(entry)] : [],
        maxTokens: entry.maxTokens,
      });
    case 'simulated':
      return canonicalJson({ protectAtRisk: policy.protectAtRisk, warnBeforeEnd: policy.warnBeforeEnd });
    default:
      return null;
  }
}

/** How two instruction keys differ, in words for a divergence message. */
export function describeInstructionChange(recorded: string, now: string): string {
  const a = JSON.parse(recorded) as Record<string, unknown>;
  const b = JSON.parse(now) as Record<string, unknown>;
  const changed = Object.keys({ ...a, ...b }).filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k]));
  return changed.length > 0 ? changed.join(', ') : 'the instructions';
}
