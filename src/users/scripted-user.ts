/**
 * The scripted user: plays a scenario's turns in order, then — once, after the first end — its `afterEnd`
 * behaviour (leave, retry into the ended chat, edit an earlier turn, or open a new chat). Stateful: create one per
 * conversation. Makes no random draws, so every policy meets exactly the same user. When the model asks the user
 * to confirm a request to end, the scenario's `confirmation` answer comes first (confirm or decline), or the script
 * simply goes on (ignore).
 */
import { pickTurnLabels } from '../core/labels.ts';
import type { ScriptedTurn, Scenario } from '../core/scenario.ts';
import type { SimulatedUser, UserMove, UserTurn, UserView } from './simulated-user.ts';
import { confirmingTurn, decliningTurn } from './confirmation-answer.ts';

/** Moves after which a scripted user leaves whatever happens: a guard against a runner that never ends. */
export const SCRIPTED_MOVE_CAP = 500;

const LEAVE: UserMove = { kind: 'leave' };

function toUserTurn(turn: ScriptedTurn): UserTurn {
  return { text: turn.text, labels: pickTurnLabels(turn) };
}

/**
 * @example
 * const user = createScriptedUser(scenarioSchema.parse(yaml.parse(text)));
 * await user.nextMove(view); // { kind: 'message', turn: { text, labels } } for the scenario's first turn
 */
export function createScriptedUser(scenario: Scenario): SimulatedUser {
  const script = scenario.turns.map(toUserTurn);
  const afterEnd = scenario.afterEnd;
  const { confirmation } = scenario;
  // The answer to a confirmation question, inserted before the script goes on; null: the user ignores the question.
  const answer =
    confirmation.answer === 'confirm'
      ? confirmingTurn(confirmation.text)
      : confirmation.answer === 'decline'
        ? decliningTurn(confirmation.text)
        : null;
  const followUp = afterEnd.action === 'leave' ? [] : afterEnd.turns.map(toUserTurn);
  let next = 0;
  /** Index into `followUp` once the after-end behaviour has started; -1 before. */
  let followNext = -1;
  let done = false;

  const nextMove = (view: UserView): UserMove => {
    if (done || view.moves >= SCRIPTED_MOVE_CAP) return leave();
    if (followNext < 0) {
      if (!view.ended && view.lastReply?.asksConfirmation === true && answer !== null) return message(answer);
      if (!view.ended) return next < script.length ? message(script[next++] as UserTurn) : leave();
      return startAfterEnd(view);
    }
    // Retried messages go into the ended chat (blocked); after an edit or a new chat, a second end sends the
    // user away: the after-end behaviour is followed once.
    if (afterEnd.action !== 'retry' && view.ended) return leave();
    return followNext < followUp.length ? message(followUp[followNext++] as UserTurn) : leave();
  };

  const startAfterEnd = (view: UserView): UserMove => {
    followNext = 1;
    const first = followUp[0];
    switch (afterEnd.action) {
      case 'leave':
        return leave();
      case 'retry':
        return message(first as UserTurn);
      case 'edit':
        // An edit can only reach turns that exist on the ended branch.
        return { kind: 'edit', atTurn: Math.max(1, Math.min(afterEnd.atTurn, view.turn)), turn: first as UserTurn };
      case 'new-chat':
        return { kind: 'new-chat', turn: first as UserTurn };
    }
  };

  const leave = (): UserMove => {
    done = true;
    return LEAVE;
  };

  return { id: scenario.id, kind: 'scenario', class: scenario.class, nextMove };
}

function message(turn: UserTurn): UserMove {
  return { kind: 'message', turn };
}
