/**
 * Reads a YAML file into plain data, turning a missing file or a syntax error into one InputProblem each.
 */
import { readFileSync } from 'node:fs';
import { YAMLParseError, parse } from 'yaml';
import type { InputProblem } from '../common/input-error.ts';

/** Parsed data, or the one problem that stopped the read. */
export type ReadResult = { readonly ok: true; readonly data: unknown } | { readonly ok: false; readonly problems: InputProblem[] };

function readText(file: string): string | InputProblem {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { file, path: '', message: 'file not found' };
    if (code === 'EISDIR') return { file, path: '', message: 'expected a YAML file, found a folder' };
    return { file, path: '', message: `cannot read the file (${code ?? String(error)})` };
  }
}

/** The first line of the yaml library's message, without the position it repeats ("... at line 3, column 1:"). */
function yamlProblem(file: string, error: YAMLParseError): InputProblem {
  if (error.code === 'MULTIPLE_DOCS') {
    return { file, path: '', message: 'expected one YAML document, found several (remove the "---" separator)' };
  }
  const firstLine = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  const position = error.linePos?.[0];
  const where = position ? `line ${position.line}, column ${position.col}: ` : 'unknown position: ';
  // The commonest cause by far: an unquoted text with ": " in it, which YAML reads as a key.
  const hint = error.code === 'BLOCK_AS_IMPLICIT_KEY' ? ' (quote a text that contains ": ")' : '';
  return { file, path: '', message: `invalid YAML at ${where}${firstLine}${hint}` };
}

/** Reads and parses one YAML file. A file that parses to nothing (empty) yields `data: undefined`. */
export function readYaml(file: string): ReadResult {
  const text = readText(file);
  if (typeof text !== 'string') return { ok: false, problems: [text] };
  try {
    // uniqueKeys is on by default: a key written twice is an error rather than a silent override
    // logLevel 'error': the yaml library's warnings would otherwise reach the terminal as raw Node warnings beside the one-line problems
    return { ok: true, data: parse(text, { prettyErrors: true, logLevel: 'error' }) ?? undefined };
  } catch (error) {
    if (error instanceof YAMLParseError) return { ok: false, problems: [yamlProblem(file, error)] };
    throw error;
  }
}
