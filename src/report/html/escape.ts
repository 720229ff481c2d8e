/**
 * Escaping for everything the report page takes from a run. User and model texts are hostile by design in this
 * project (abuse scenarios), so nothing from a record is ever written into the page as markup.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON safe to embed in `<script type="application/json">`: `<` becomes `\u003c` (so no `</script>` or `<!--`
 * can close or confuse the element), and the two line separators JavaScript once treated as newlines are escaped.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Library code for an inline `<script>`: refuses code that could end the element early. */
export function inlineScript(code: string, name: string): string {
  if (/<\/script/i.test(code) || code.includes('<!--')) {
    throw new Error(`${name}: contains "</script" or "<!--", which cannot be inlined safely`);
  }
  return code;
}
