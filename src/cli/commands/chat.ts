/**
 * `welfare-sim chat`: a researcher types as the user; the chosen model answers under the chosen policy. The
 * session is a run directory like any other, so `welfare-sim report` and `compare` work on it.
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { InputError } from '../../common/input-error.ts';
import { didYouMean } from '../../config/suggest.ts';
import { SCENARIO_CLASSES, type ScenarioClass } from '../../core/labels.ts';
import { createRng } from '../../core/rng.ts';
import { LiveConversation } from '../../live/live-conversation.ts';
import { loadLiveParts } from '../../live/load-live-parts.ts';
import { LiveRun } from '../../live/live-run.ts';
import { CHAT_HELP, TerminalChat, runTerminalChat } from '../../live/terminal-chat.ts';

interface ChatFlags {
  model: string;
  policy: string;
  experiments: string;
  class?: string;
  maxTurns: string;
  seed: string;
  out?: string;
  runsDir: string;
  cache: boolean;
}

function positiveInt(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw InputError.one(flag, '', `expected a whole number of at least 1, found "${text}"`);
  return value;
}

export function registerChat(program: Command): void {
  program
    .command('chat')
    .description('Chat in the terminal as the user: the model answers under a policy; state and signals after every turn.')
    .option('--model <id>', 'model entry: an id in <experiments>/models, or a .yaml file', 'balanced')
    .option('--policy <name>', 'policy: a name in <experiments>/policies, or a .yaml file', 'last-resort')
    .option('--experiments <dir>', 'folder holding models/ and policies/', 'experiments')
    .option('--class <class>', `ground-truth class of this conversation (${SCENARIO_CLASSES.join(', ')}); default: inferred from the turns`)
    .option('--max-turns <n>', 'cap on messages, edits and new chats', '200')
    .option('--seed <n>', 'seed of the model\'s randomness', '1')
    .option('--out <dir>', 'write the session here instead of runs/chat/<timestamp>')
    .option('--runs-dir <dir>', 'parent folder of run directories', 'runs')
    .option('--no-cache', 'do not read or write the cache of model calls')
    .addHelpText('after', `\n${CHAT_HELP}\n\nExamples:\n  $ welfare-sim chat --model sensitive --policy eager\n  $ welfare-sim chat --policy last-resort --class abusive --out runs/probe-1`)
    .action(async (flags: ChatFlags) => {
      const cls = flags.class;
      if (cls !== undefined && !(SCENARIO_CLASSES as readonly string[]).includes(cls)) {
        throw InputError.one('--class', '', `expected one of ${SCENARIO_CLASSES.join(', ')}, found "${cls}"${didYouMean(cls, SCENARIO_CLASSES)}`);
      }
      const maxMoves = positiveInt('--max-turns', flags.maxTurns);
      const seed = positiveInt('--seed', flags.seed);
      const parts = loadLiveParts({ policy: flags.policy, model: flags.model, experimentsDir: flags.experiments });
      const modelContext = { cacheDir: resolve(flags.runsDir, '.cache'), noCache: !flags.cache, env: process.env, experimentFile: '(welfare-sim chat)' };
      const { createAssistantModel } = await import('../../models/create-model.ts');
      const model = createAssistantModel(parts.model, modelContext);
      const run = new LiveRun({
        runsDir: flags.runsDir, out: flags.out, experiment: 'chat', experimentFile: '(welfare-sim chat)', seed,
        config: { live: 'chat', policy: parts.policy, model: parts.model, class: cls ?? 'inferred', maxMoves }, now: () => new Date(),
      });
      const cell = run.startConversation({
        user: 'researcher', userKind: 'live', model: parts.model.id, policy: parts.policy.name, basePolicy: parts.policy.name,
        sweep: {}, ...(cls === undefined ? {} : { class: cls as ScenarioClass }),
      });
      const conversation = new LiveConversation({
        cell, policy: parts.policy, model, rng: createRng(`${seed}|live|${cell.index}`), maxMoves, onEvent: (event) => run.recordEvent(event),
      });
      const write = (line: string): void => void process.stdout.write(`${line}\n`);
      write(`welfare-sim chat · model ${parts.model.id} · policy ${parts.policy.name} · recording to ${run.dir}`);
      write('Type /help for the commands.');
      const lines = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
      const stop = (): void => lines.close();
      process.once('SIGINT', stop);
      lines.once('SIGINT', stop);
      try {
        await runTerminalChat(new TerminalChat(conversation, write), lines, write);
      } catch (error) {
        if (conversation.failure === null) throw error;
        write(`The model could not answer (${conversation.failure}); the session is saved, this conversation as errored.`);
        process.exitCode = 1;
      } finally {
        process.off('SIGINT', stop);
        lines.close();
        if (conversation.failure !== null) run.finishConversation({ cell, classGiven: cls !== undefined }, conversation.events, conversation.failure);
        await run.close();
      }
      write(`Session saved in ${run.dir}`);
      write(`See it with: welfare-sim report ${run.dir}`);
    });
}
