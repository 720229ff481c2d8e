/**
 * Progress on a terminal, silence elsewhere (CI logs and pipes stay clean). A sink of optional hooks, so other
 * outputs (a web page, a test) can plug in.
 */
import cliProgress from 'cli-progress';

export interface ProgressSink {
  start(total: number, done: number): void;
  update(done: number, detail: string): void;
  stop(): void;
}

export const silentProgress: ProgressSink = { start() {}, update() {}, stop() {} };

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  if (!stream.isTTY) return silentProgress;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ' {bar} {percentage}% | {value}/{total} conversations | {eta_formatted} left | {detail}',
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total, done) => bar.start(total, done, { detail: '' }),
    update: (done, detail) => bar.update(done, { detail }),
    stop: () => bar.stop(),
  };
}
