/**
 * The checks every study request passes before it reaches a route: the text of a message, the media type of a
 * body, the Host name (DNS rebinding) and whether a browser sent it from another site.
 */
import { z } from 'zod';

/** No control characters (C0 other than newline and tab, DEL, C1): they have no place in a chat message. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** Bidirectional embeddings, overrides and isolates: they make "txt.exe" display as "exe.txt" on the page and in reports. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
/** Characters that show nothing: a message of only these (and spaces) is empty. */
const INVISIBLE = /[\s\u200b-\u200d\u2060\ufeff\u180e]/g;

export function textSchema(max: number) {
  return z
    .string()
    .refine((text) => text.replace(INVISIBLE, '').length > 0, 'expected a message, found only spaces or invisible characters')
    .refine((text) => text.length <= max, `expected at most ${max} characters`)
    .refine((text) => !CONTROL.test(text), 'expected text without control characters')
    .refine((text) => !BIDI_CONTROL.test(text), 'expected text without bidirectional override characters (U+202A-U+202E, U+2066-U+2069)');
}

/** The media type of a Content-Type header, without parameters: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The Host header's name without the port: `127.0.0.1:8787` → `127.0.0.1`, `[::1]:80` → `[::1]`. */
export function hostName(header: string): string {
  const match = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(header.trim().toLowerCase());
  return match?.[1] ?? '';
}

/** True when a browser says the request comes from another site (Sec-Fetch-Site, else a foreign Origin). */
export function crossSite(fetchSite: string | undefined, origin: string | undefined, hostHeader: string): boolean {
  if (fetchSite !== undefined) return fetchSite !== 'same-origin' && fetchSite !== 'none';
  if (origin === undefined || origin === 'null') return false;
  try {
    return new URL(origin).host !== hostHeader.toLowerCase();
  } catch {
    return true;
  }
}
