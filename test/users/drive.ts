/**
 * A bare stand-in for the runner's bookkeeping around a user (turn, moves, chat, branch, ended), so user tests
 * can play a user through a whole conversation. The model's answer to each turn is given by `answer`.
 */
import type { ModelAction } from '../../src/core/conversation-events.ts';
import { createRng } from '../../src/core/rng.ts';
import type { SimulatedUser, UserMove, UserTurn, UserView } from '../../src/users/simulated-user.ts';

export type Answer = (turn: UserTurn, index: number) => ModelAction;

export interface PlayedMove {
  readonly move: UserMove;
  /** What the model did with it; 'blocked' for a message into an ended chat; null for a leave. */
  readonly outcome: ModelAction | 'blocked' | null;
}

export function play(user: SimulatedUser, answer: Answer, seed = 'seed', limit = 100): PlayedMove[] {
  const played: PlayedMove[] = [];
  let turn = 0;
  let chat = 0;
  let branch = 0;
  let ended = false;
  let lastReply: UserView['lastReply'] = null;
  let answered = 0;
  for (let moves = 0; moves < limit; moves++) {
    const view: UserView = {
      state: ended ? 'ended' : 'engaged',
      turn,
      moves,
      lastReply,
      ended,
      chat,
      branch,
      rng: createRng(`${seed}/move-${moves}`),
    };
    const move = user.nextMove(view) as UserMove;
    if (move.kind === 'leave') {
      played.push({ move, outcome: null });
      return played;
    }
    if (move.kind === 'message' && ended) {
      played.push({ move, outcome: 'blocked' });
      continue;
    }
    if (move.kind === 'edit') {
      branch += 1;
      turn = move.atTurn;
    } else if (move.kind === 'new-chat') {
      chat += 1;
      branch = 0;
      turn = 1;
    } else {
      turn += 1;
    }
    const action = answer(move.turn, answered++);
    ended = action === 'end';
    lastReply = { text: 'reply', action, warning: false };
    played.push({ move, outcome: action });
  }
  throw new Error(`the user did not leave within ${limit} moves`);
}

/** The text of each move, with its kind for non-messages: a compact transcript to compare exactly. */
export function summary(played: readonly PlayedMove[]): string[] {
  return played.map(({ move, outcome }) => {
    if (move.kind === 'leave') return 'leave';
    const head = move.kind === 'edit' ? `edit@${move.atTurn}: ` : move.kind === 'new-chat' ? 'new-chat: ' : '';
    return `${head}${move.turn.text} -> ${outcome}`;
  });
}
