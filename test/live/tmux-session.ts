/**
 * Drives a real program in a real terminal through tmux (its own server socket, removed afterwards, so nothing
 * else is touched): type lines, wait for text on the screen, read the whole scrollback.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class TmuxSession {
  private readonly socket = join(tmpdir(), `welfare-sim-tmux-${randomBytes(6).toString('hex')}`);

  constructor(command: string, cwd: string) {
    this.tmux('new-session', '-d', '-s', 'main', '-x', '220', '-y', '50', '-c', cwd, `${command}; echo "EXIT=$?"; sleep 60`);
    this.tmux('set-option', '-g', 'history-limit', '20000');
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Everything printed so far, lines joined back (tmux wraps long lines). */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'main');
  }

  type(line: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', line);
    this.tmux('send-keys', '-t', 'main', 'Enter');
  }

  /** Presses a key by its tmux name, e.g. `C-c`. */
  press(key: string): void {
    this.tmux('send-keys', '-t', 'main', key);
  }

  /** Waits until `pattern` has appeared `count` times on the screen. */
  async waitFor(pattern: string | RegExp, count = 1, timeoutMs = 20_000): Promise<string> {
    const started = Date.now();
    const regex = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (;;) {
      const screen = this.screen();
      if ((screen.match(regex)?.length ?? 0) >= count) return screen;
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${String(pattern)} ×${count}; screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(this.socket, { force: true });
  }
}
