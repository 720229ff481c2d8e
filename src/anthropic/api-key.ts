/**
 * The API key comes from ANTHROPIC_API_KEY and nowhere else (no profile files, no flags, nothing in a model
 * entry), so it never lands in an experiment file, a manifest or a cache entry.
 */
import { InputError } from '../common/input-error.ts';

export const API_KEY_VARIABLE = 'ANTHROPIC_API_KEY';
export const BASE_URL_VARIABLE = 'ANTHROPIC_BASE_URL';

/**
 * The key, or an InputError (exit 2) naming the variable. Call it before anything is written, so a run that
 * needs Claude fails at once and leaves no run directory behind. `neededBy` and `what` name who needs it.
 */
export function requireApiKey(env: Readonly<Record<string, string | undefined>>, neededBy: string, what: 'model' | 'llm user' = 'model'): string {
  const key = env[API_KEY_VARIABLE]?.trim();
  if (!key) {
    throw InputError.one(
      API_KEY_VARIABLE,
      '',
      `expected the environment variable to hold an Anthropic API key (${what} "${neededBy}" calls Claude), found it unset`,
    );
  }
  return key;
}

/** Replaces every occurrence of the key in a text (error messages may echo request details). */
export function redactKey(text: string, key: string): string {
  return key.length > 0 ? text.split(key).join('[redacted ANTHROPIC_API_KEY]') : text;
}
