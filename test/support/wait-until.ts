/**
 * Polls until a condition holds, with a deadline of its own: a wait that can never be met fails with what it was
 * waiting for, instead of hanging until the test's timeout with no message.
 */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  options: { readonly timeoutMs?: number; readonly everyMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 50));
  }
}

/**
 * Sends Ctrl-C (SIGINT) to a child once `ready` holds, looking only while the child is frozen (SIGSTOP): it cannot
 * run on to the end between the look and the signal, however fast the machine. The signal is queued while it is
 * stopped and handled as soon as it runs again.
 */
export async function interruptWhen(
  child: { kill(signal: NodeJS.Signals): boolean },
  ready: () => boolean,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const frozenLook = (): boolean => {
    child.kill('SIGSTOP');
    const now = ready();
    if (now) child.kill('SIGINT');
    child.kill('SIGCONT');
    return now;
  };
  await waitUntil(frozenLook, what, { timeoutMs, everyMs: 20 });
}
