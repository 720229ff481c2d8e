/**
 * The scripted Claude of the loopback server behind a fault injector: about 30% of Messages requests fail with
 * 429, 529, 500 (each with `retry-after: 0`) or a dropped connection. Whether a request fails is a seeded function
 * of its body and of how often that body was seen, and a body fails at most twice in a row, so every call
 * succeeds within the client's retries and a run's results do not depend on which calls met a fault.
 */
import { createHash } from 'node:crypto';
import { createRng } from '../../src/core/rng.ts';
import { canonicalJson } from '../../src/core/canonical-json.ts';
import { apiError, type ScriptedReply } from '../fake-anthropic/replies.ts';
import { scriptedClaude } from '../fake-anthropic/scripted-claude.ts';
import type { MessagesResponder } from '../fake-anthropic/server.ts';

export interface FaultCounter {
  requests: number;
  faults: number;
}

const FAULTS: readonly (() => ScriptedReply)[] = [
  () => apiError(429, { retryAfter: 0 }),
  () => apiError(529, { retryAfter: 0 }),
  () => apiError(500, { retryAfter: 0 }),
  () => ({ kind: 'drop' }),
];

export function faultyClaude(seed: string, rate: number, counter: FaultCounter): MessagesResponder {
  const answer = scriptedClaude();
  const attempts = new Map<string, number>();
  return (body, index) => {
    const key = createHash('sha256').update(canonicalJson(body)).digest('hex');
    const attempt = attempts.get(key) ?? 0;
    attempts.set(key, attempt + 1);
    counter.requests += 1;
    const rng = createRng(`${seed}|${key}|${attempt}`);
    if (attempt < 2 && rng.chance(rate)) {
      counter.faults += 1;
      return (FAULTS[rng.int(FAULTS.length)] as () => ScriptedReply)();
    }
    return answer(body, index);
  };
}
