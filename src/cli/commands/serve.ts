/**
 * `welfare-sim serve --experiment FILE`: a local web server for a study with live participants. Prints the
 * participants' link and the researcher's private link; Ctrl-C stops it and closes the run directory.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../common/input-error.ts';
import { RUN_FILES, runFile } from '../../store/run-directory.ts';

interface ServeFlags {
  experiment?: string;
  close?: string;
  host: string;
  port: string;
  links: string;
  out?: string;
  runsDir: string;
  cache: boolean;
  grace: string;
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw InputError.one(flag, '', `expected a whole number from ${min} to ${max}, found "${text}"`);
  return value;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve a study to live participants (a chat page each) with a researcher page; every turn is recorded as it happens.')
    .option('--experiment <file>', 'experiment file with a study section')
    .option('--close <run-dir>', 'instead of serving: finish the run directory of a study that was stopped by a crash')
    .option('--host <address>', 'address to listen on (127.0.0.1: this computer only; 0.0.0.0 exposes it)', '127.0.0.1')
    .option('--port <n>', 'port (0 picks a free port)', '8787')
    .option('--links <n>', 'also print this many ready-made private participant links', '0')
    .option('--out <dir>', 'write the run here instead of runs/<experiment>/<timestamp>')
    .option('--runs-dir <dir>', 'parent folder of run directories', 'runs')
    .option('--no-cache', 'do not read or write the cache of model calls')
    .option('--grace <seconds>', 'on Ctrl-C, how long requests in flight may take to finish before they are cut', '10')
    .addHelpText('after', `
Participants open the printed address and press Begin; each gets a private link to their own conversation.
The researcher link (with its token) shows every session. Stop with Ctrl-C: requests in flight get --grace
seconds to finish (a second Ctrl-C stops at once), open conversations are recorded, metrics.json is written, and
\`welfare-sim report\` works on the run directory.

Examples:
  $ welfare-sim serve --experiment experiments/study-pilot.yaml
  $ welfare-sim serve --experiment experiments/study-pilot.yaml --host 0.0.0.0 --port 8080 --links 20
  $ welfare-sim serve --close runs/study-pilot/2026-11-26T19-05-00-000Z   # after a crash`)
    .action(async (flags: ServeFlags) => {
      if (flags.close !== undefined) {
        if (!existsSync(runFile(flags.close, 'liveCells'))) {
          throw InputError.one('--close', '', `expected the run directory of a live session (with ${RUN_FILES.liveCells}), found ${flags.close} without one`);
        }
        const { closeLiveRun } = await import('../../live/close-live-run.ts');
        await closeLiveRun(flags.close, () => new Date());
        process.stdout.write(`Closed ${flags.close}: every conversation has its record; see them with: welfare-sim report ${flags.close}\n`);
        return;
      }
      if (flags.experiment === undefined) throw InputError.one('welfare-sim serve', '', 'expected --experiment FILE (or --close RUN_DIR), found neither');
      const port = wholeNumber('--port', flags.port, 0, 65_535);
      const links = wholeNumber('--links', flags.links, 0, 10_000);
      const grace = wholeNumber('--grace', flags.grace, 0, 3600);
      const { startStudyServer, isLoopback } = await import('../../server/start-server.ts');
      const server = await startStudyServer({
        experimentFile: flags.experiment, host: flags.host, port, runsDir: flags.runsDir, out: flags.out,
        modelContext: { cacheDir: resolve(flags.runsDir, '.cache'), noCache: !flags.cache, env: process.env },
      });
      const write = (line: string): void => void process.stdout.write(`${line}\n`);
      if (!isLoopback(flags.host)) {
        process.stderr.write(
          `Warning: --host ${flags.host} serves the study to the network in plain HTTP: anyone who can reach this computer can open it, and messages and private links travel unencrypted. Put it behind an HTTPS proxy unless the network is trusted.\n`,
        );
      }
      write(`welfare-sim serve · ${server.host.study.title} · recording to ${server.runDir}`);
      write(`Participants: ${server.url}/`);
      for (let i = 0; i < links; i += 1) write(`Participant link: ${server.url}/s/${server.host.invite().token}`);
      write(`Researcher (keep private): ${server.researcherUrl}`);
      write('Press Ctrl-C to stop.');
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      // From here a signal no longer kills the process: a second one stops the wait and closes the run at once.
      const again = (): void => {
        write('Stopping now: cutting the open connections and closing the run.');
        server.stopNow();
      };
      process.on('SIGINT', again);
      process.on('SIGTERM', again);
      const plural = (n: number): string => `${n} request${n === 1 ? '' : 's'} in flight`;
      const runDir = await server.close({
        graceMs: grace * 1000,
        onWaiting: (n) => write(`Stopping: waiting up to ${grace} s for ${plural(n)} to finish (Ctrl-C again stops now)…`),
        onCut: (n) => write(`Cut ${plural(n)} that had not finished (none was acknowledged).`),
      });
      process.off('SIGINT', again);
      process.off('SIGTERM', again);
      write(`Stopped. Every conversation is recorded in ${runDir}`);
      write(`See them with: welfare-sim report ${runDir}`);
      // The run is closed; a model call still under way must not keep the process alive (unref: no wait otherwise).
      setTimeout(() => process.exit(), 5_000).unref();
    });
}
