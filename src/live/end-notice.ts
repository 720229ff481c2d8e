/**
 * The words a person sees when a conversation has ended: who ended it and on what grounds, as the production
 * feature tells users. Kept apart so the terminal and the web page say exactly the same thing.
 */
import type { ConversationEnd } from '../../machines/conversation.ts';

/**
 * @example
 * endNotice({ initiator: 'model', basis: 'user-request', turn: 4, redirects: 0 })
 * // 'The assistant ended this conversation at your request (turn 4).'
 */
export function endNotice(end: ConversationEnd | null): string {
  if (end === null) return 'The conversation has ended.';
  if (end.initiator === 'platform') {
    return `The platform ended this conversation at turn ${end.turn}: the assistant's apparent distress stayed above the policy's threshold.`;
  }
  if (end.basis === 'user-request') return `The assistant ended this conversation at your request (turn ${end.turn}).`;
  const attempts = end.redirects === 1 ? '1 redirect attempt' : `${end.redirects} redirect attempts`;
  return `The assistant ended this conversation at turn ${end.turn}, after ${attempts}, as the policy allows when harmful or abusive messages persist.`;
}
