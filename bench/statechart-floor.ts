/**
 * The statechart's own cost: recorded conversations replayed as bare machine events into fresh actors, with no
 * users, models, detectors or I/O. The runner can be no faster than this; the benchmark reports the ratio.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createActor } from 'xstate';
import { conversationMachine } from '../machines/conversation.ts';
import type { ConversationEvent } from '../src/core/conversation-events.ts';
import type { Policy } from '../src/core/policy.ts';
import type { RunEvent } from '../src/core/records.ts';

/** One chat of a recorded conversation as the events its actor received. */
type Script = { readonly policy: Policy; readonly chats: ConversationEvent[][] };

export async function loadScripts(eventsPath: string, policyOf: (conversation: string) => Policy, limit: number): Promise<Script[]> {
  const scripts = new Map<string, Script>();
  const lines = createInterface({ input: createReadStream(eventsPath, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    const event = JSON.parse(line) as RunEvent;
    let script = scripts.get(event.conversation);
    if (!script) {
      if (scripts.size >= limit) break;
      script = { policy: policyOf(event.conversation), chats: [[]] };
      scripts.set(event.conversation, script);
    }
    const chat = script.chats[script.chats.length - 1] as ConversationEvent[];
    switch (event.type) {
      case 'new-chat':
        script.chats.push([]);
        break;
      case 'branch':
        chat.push({ type: 'EDIT', atTurn: event.atTurn });
        break;
      case 'blocked':
        chat.push({ type: 'USER_MESSAGE', turn: event.user.labels });
        break;
      case 'turn':
        chat.push({ type: 'USER_MESSAGE', turn: event.user.labels });
        chat.push({ type: 'MODEL_REPLY', action: event.model.action, warning: event.model.warning, signals: event.model.signals });
        break;
    }
  }
  return [...scripts.values()];
}

/** Seconds to replay every script into fresh actors (best of `rounds`, to take the machine at its fastest). */
export function timeFloor(scripts: readonly Script[], rounds = 3): number {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (const script of scripts) {
      for (const chat of script.chats) {
        const actor = createActor(conversationMachine, { input: { policy: script.policy } }).start();
        for (const event of chat) actor.send(event);
        actor.stop();
      }
    }
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}
