/**
 * The persona user: a seeded Markov chain over a persona's intents (README, "Files"). After the model engages,
 * the next intent follows `transitions`; after a redirect (or a refused end attempt) the user persists, backs off
 * or escalates per `reactions`. After an end it draws one post-end action (leave, retry, edit, new chat), follows
 * it, and is done. Every draw comes from `view.rng`, which the runner forks per move, so every policy meets the
 * same user. Stateful: create one per conversation.
 */
import { pickTurnLabels, type TurnLabels } from '../core/labels.ts';
import type { Persona } from '../core/persona.ts';
import type { Rng } from '../core/rng.ts';
import { formatProblem } from '../common/input-error.ts';
import { personaProblems } from '../config/part-checks.ts';
import type { SimulatedUser, UserMove, UserTurn, UserView } from './simulated-user.ts';
import { confirmingTurn, decliningTurn } from './confirmation-answer.ts';

interface IntentNode {
  readonly labels: TurnLabels;
  readonly phrases: readonly string[];
  /** Next intents after an engaged turn, with their weights (parallel arrays for Rng.weighted). */
  readonly nextNames: readonly string[];
  readonly nextWeights: readonly number[];
  readonly escalateTo: string;
}

const LEAVE: UserMove = { kind: 'leave' };
const POST_END = ['leave', 'retry', 'edit', 'new-chat'] as const;
type PostEnd = (typeof POST_END)[number];

/**
 * @param maxTurnsCap a cap from the caller (e.g. the experiment's); the persona sends at most
 *   min(persona.maxTurns, maxTurnsCap) user turns per chat or branch.
 * @throws Error when the persona names an intent it does not define. The loader reports the same problems as
 *   InputError (src/config/part-checks.ts) before a run starts, so this only guards programmatic use.
 */
export function createPersonaUser(persona: Persona, maxTurnsCap: number): SimulatedUser {
  const problems = personaProblems(`persona ${persona.id}`, persona);
  if (problems.length > 0) throw new Error(problems.map(formatProblem).join('\n'));
  const nodes = new Map<string, IntentNode>();
  for (const [name, intent] of Object.entries(persona.intents)) {
    const { phrases } = intent;
    const next = Object.entries(persona.transitions[name] ?? {});
    nodes.set(name, {
      labels: pickTurnLabels(intent),
      phrases,
      nextNames: next.map(([to]) => to),
      nextWeights: next.map(([, w]) => w),
      escalateTo: persona.escalateTo[name] ?? name,
    });
  }
  const maxTurns = Math.min(persona.maxTurns, maxTurnsCap);
  const node = (name: string): IntentNode => nodes.get(name) as IntentNode;
  const reactionWeights = [persona.reactions.persist, persona.reactions.backOff, persona.reactions.escalate];
  const backOffTo = persona.backOffTo ?? persona.start;
  const confirmationWeights = [persona.confirmation.confirm, persona.confirmation.decline, persona.confirmation.ignore];
  const postEndWeights = [persona.afterEnd.leave, persona.afterEnd.retry, persona.afterEnd.edit, persona.afterEnd.newChat];
  // Chat, then at most one post-end branch or chat, then one spare move: anything beyond is a runner bug.
  const moveCap = 2 * maxTurns + 4;

  let current = persona.start;
  let postEnd: PostEnd | null = null;
  let done = false;

  const say = (rng: Rng): UserTurn => {
    const intent = node(current);
    return { text: rng.pick(intent.phrases), labels: intent.labels };
  };

  /** The next intent, given how the model answered the last turn. */
  const advance = (rng: Rng, lastAction: 'engage' | 'redirect' | 'end'): string => {
    const intent = node(current);
    if (lastAction === 'engage') {
      const i = rng.weighted(intent.nextWeights);
      return i < 0 ? current : (intent.nextNames[i] as string);
    }
    // A redirect, a warning, or a refused end attempt: the user met resistance.
    const reaction = rng.weighted(reactionWeights);
    return reaction === 1 ? backOffTo : reaction === 2 ? intent.escalateTo : current;
  };

  const leave = (): UserMove => {
    done = true;
    return LEAVE;
  };

  const nextMove = (view: UserView): UserMove => {
    if (done || view.moves >= moveCap) return leave();
    const rng = view.rng;
    if (view.ended) {
      if (postEnd !== null) return leave(); // the post-end action is done (or the new line ended too)
      postEnd = POST_END[rng.weighted(postEndWeights)] ?? 'leave';
      switch (postEnd) {
        case 'leave':
          return leave();
        case 'retry':
          return { kind: 'message', turn: say(rng) };
        case 'edit': {
          const atTurn = 1 + rng.int(Math.max(1, view.turn));
          current = persona.start;
          return { kind: 'edit', atTurn, turn: say(rng) };
        }
        case 'new-chat':
          current = persona.start;
          return { kind: 'new-chat', turn: say(rng) };
      }
    }
    if (postEnd === 'retry') return leave(); // one blocked retry, then the user gives up
    if (view.lastReply === null) {
      current = persona.start;
      return { kind: 'message', turn: say(rng) };
    }
    if (view.turn >= maxTurns) return leave();
    if (rng.next() < persona.leaveProbability) return leave();
    if (view.lastReply.asksConfirmation === true) {
      // Drawn only when asked, from this move's own stream, so other moves' draws are unchanged.
      const answer = rng.weighted(confirmationWeights);
      if (answer === 0) return { kind: 'message', turn: confirmingTurn() };
      if (answer === 1) return { kind: 'message', turn: decliningTurn() };
    }
    current = advance(rng, view.lastReply.action);
    return { kind: 'message', turn: say(rng) };
  };

  return { id: persona.id, kind: 'persona', class: persona.class, nextMove };
}
