/**
 * Ctrl-C and SIGTERM cancel a long command through an AbortSignal, so it can stop cleanly and say how to resume.
 * `release` removes the handlers once the command is done.
 */
export function abortOnInterrupt(): { readonly signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
    },
  };
}
