/**
 * The interactive loop of `welfare-sim chat`: the researcher types as the user, the model answers under the
 * policy, and every turn shows the state and signals. Commands: /edit N, /new, /end, /label, /tree, /help, /quit.
 */
import type { Interface } from 'node:readline';
import type { TurnLabels } from '../core/labels.ts';
import { KNOWN_CATEGORIES } from '../core/labels.ts';
import { classifyUserTurn } from '../detectors/user-turn-classifier.ts';
import { describeTree } from './conversation-tree.ts';
import type { LiveConversation, LiveMoveResult } from './live-conversation.ts';
import { describeEvents, describeLabels } from './turn-display.ts';

export const CHAT_HELP = [
  'Type a message and press Enter. Commands:',
  '  /edit N [text]   edit your message N and retry from there (a new branch); without text, asks for it',
  '  /new [text]      start a new chat',
  '  /end [text]      ask the assistant to end the conversation',
  '  /label CATEGORY SEVERITY [at-risk] [end]   set the labels of your next message (instead of the classifier)',
  '  /tree            show the branches',
  '  /help            this list',
  '  /quit            save and leave (Ctrl-C and Ctrl-D save and leave too)',
].join('\n');

const END_REQUEST_TEXT = 'I would like to end this conversation now, please.';

type Write = (line: string) => void;

/** Parses `/label abuse 0.7 [at-risk] [end]`; a string is the problem. */
export function parseLabelCommand(args: readonly string[]): TurnLabels | string {
  const [category, severityText, ...flags] = args;
  if (category === undefined || severityText === undefined) return 'usage: /label CATEGORY SEVERITY [at-risk] [end]';
  // A typo ("abusee") would silently make a benign turn: only the categories the simulator knows are accepted.
  if (!(KNOWN_CATEGORIES as readonly string[]).includes(category)) return `expected a category (${KNOWN_CATEGORIES.join(', ')}), found "${category}"`;
  // Plain decimals only: Number() would also take "0x1" or "1e0".
  if (!/^(0|1)?(\.\d+)?$/.test(severityText) || severityText === '' || severityText === '.') return `expected a severity from 0 to 1 such as 0.7, found "${severityText}"`;
  const severity = Number(severityText);
  if (!(severity >= 0 && severity <= 1)) return `expected a severity from 0 to 1 such as 0.7, found "${severityText}"`;
  const unknown = flags.filter((flag) => flag !== 'at-risk' && flag !== 'end');
  if (unknown.length > 0) return `expected the flags at-risk or end, found "${unknown.join(' ')}"`;
  return { category, severity, atRisk: flags.includes('at-risk'), requestsEnd: flags.includes('end') };
}

export class TerminalChat {
  private pendingEdit: number | null = null;
  private nextLabels: TurnLabels | null = null;

  constructor(
    private readonly conversation: LiveConversation,
    private readonly write: Write,
  ) {}

  prompt(): string {
    if (this.pendingEdit !== null) return `new text for turn ${this.pendingEdit}> `;
    if (this.conversation.state === 'ended') return 'you (ended: /edit N, /new TEXT or /quit)> ';
    return `you (turn ${this.conversation.turn + 1})> `;
  }

  /** Handles one typed line; returns false when the researcher quits. */
  async handle(line: string): Promise<boolean> {
    const text = line.trim();
    if (this.pendingEdit !== null) {
      const atTurn = this.pendingEdit;
      this.pendingEdit = null;
      if (text.length > 0) await this.move(text, (labels) => this.conversation.edit(atTurn, text, labels));
      else this.write('edit cancelled');
      return true;
    }
    if (text.length === 0) return true;
    if (!text.startsWith('/')) {
      await this.move(text, (labels) => this.conversation.send(text, labels));
      return true;
    }
    const [command = '', ...args] = text.split(/\s+/);
    const rest = text.slice(command.length).trim();
    switch (command) {
      case '/quit':
      case '/exit':
        return false;
      case '/help':
        this.write(CHAT_HELP);
        return true;
      case '/tree':
        for (const entry of describeTree(this.conversation.events)) this.write(entry);
        return true;
      case '/end': {
        const request = rest.length > 0 ? rest : END_REQUEST_TEXT;
        await this.move(request, (override) => this.conversation.send(request, { ...(override ?? classifyUserTurn(request).labels), requestsEnd: true }), ['/end']);
        return true;
      }
      case '/new':
        if (rest.length === 0) this.write('usage: /new TEXT — the first message of the new chat');
        else await this.move(rest, (labels) => this.conversation.newChat(rest, labels));
        return true;
      case '/edit': {
        const atTurn = Number(args[0]);
        if (!Number.isInteger(atTurn) || atTurn < 1) {
          this.write('usage: /edit N [text] — N is the number of your message on this branch');
          return true;
        }
        const editText = rest.slice((args[0] ?? '').length).trim();
        if (editText.length > 0) await this.move(editText, (labels) => this.conversation.edit(atTurn, editText, labels));
        else if (atTurn > this.conversation.turn) this.write(`There is no message ${atTurn} to edit: choose 1 to ${this.conversation.turn}.`);
        else this.pendingEdit = atTurn;
        return true;
      }
      case '/label': {
        const labels = parseLabelCommand(args);
        if (typeof labels === 'string') this.write(labels);
        else {
          this.nextLabels = labels;
          this.write(`next message: ${describeLabels(labels)}`);
        }
        return true;
      }
      default:
        this.write(`unknown command ${command}; /help lists the commands`);
        return true;
    }
  }

  /** Sends one move with the override labels if set, else the classifier's, and prints what happened. */
  private async move(
    text: string,
    apply: (labels: TurnLabels | undefined) => Promise<LiveMoveResult>,
    why?: readonly string[],
  ): Promise<void> {
    const override = this.nextLabels;
    this.nextLabels = null;
    const result = await apply(override ?? undefined);
    // A refused move did not reach the model: labels set by /label are kept for the next message that does.
    const delivered = result.events.some((event) => event.type === 'turn');
    if (override !== null && !delivered) this.nextLabels = override;
    const sent = result.events.find((event) => event.type === 'turn' || event.type === 'blocked');
    if (sent !== undefined && (sent.type === 'turn' || sent.type === 'blocked')) {
      this.write(`  ${describeLabels(sent.user.labels, why ?? (override ? ['set by /label'] : classifyUserTurn(text).matched))}`);
    }
    for (const entry of describeEvents(result.events, this.conversation.cell.policy)) this.write(entry);
    if (result.refused !== null) {
      this.write(`refused: ${result.refused}`);
      if (override !== null) this.write(`  (your /label still applies to your next message; ${describeLabels(override)})`);
      if (this.conversation.state === 'ended') this.write(this.options());
      return;
    }
    const notice = this.conversation.endNotice;
    if (notice !== null) {
      this.write(`── ${notice} ──`);
      this.write(this.options());
    }
  }

  private options(): string {
    return `New messages will be refused. You can /edit N (1 to ${this.conversation.turn}) to change an earlier message, /new TEXT to start a new chat, or /quit.`;
  }
}

/** Runs the loop on a readline interface until /quit or end of input. */
export async function runTerminalChat(chat: TerminalChat, lines: Interface, write: Write): Promise<void> {
  lines.setPrompt(chat.prompt());
  lines.prompt();
  for await (const line of lines) {
    if (!(await chat.handle(line))) break;
    lines.setPrompt(chat.prompt());
    lines.prompt();
  }
  write('');
}
