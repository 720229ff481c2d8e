import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/common/input-error.ts';
import { readYaml } from '../../src/config/read-yaml.ts';

const root = mkdtempSync(join(tmpdir(), 'welfare-sim-yaml-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function read(name: string, text?: string): unknown {
  const file = join(root, name);
  if (text !== undefined) writeFileSync(file, text);
  const result = readYaml(file);
  return result.ok ? { data: result.data } : result.problems.map((p) => formatProblem(p).slice(root.length + 1));
}

describe('readYaml', () => {
  it('parses a mapping', () => {
    expect(read('ok.yaml', 'name: eager\nminRedirects: 1\n')).toEqual({ data: { name: 'eager', minRedirects: 1 } });
  });

  it('reads an empty file (or one of comments only) as nothing', () => {
    expect(read('empty.yaml', '# just a comment\n')).toEqual({ data: undefined });
  });

  it('reports a missing file and a folder', () => {
    mkdirSync(join(root, 'folder.yaml'));
    expect(read('missing.yaml')).toEqual(['missing.yaml: file not found']);
    expect(read('folder.yaml')).toEqual(['folder.yaml: expected a YAML file, found a folder']);
  });

  it('reports a syntax error in one line with its position', () => {
    expect(read('dup.yaml', 'name: a\nname: b\n')).toEqual(['dup.yaml: invalid YAML at line 2, column 1: Map keys must be unique']);
  });

  it('hints at quoting when a text contains ": "', () => {
    expect(read('colon.yaml', 'turns:\n  - text: Here: a colon\n')).toEqual([
      'colon.yaml: invalid YAML at line 2, column 11: Nested mappings are not allowed in compact mappings (quote a text that contains ": ")',
    ]);
  });

  it('refuses several documents in one file', () => {
    expect(read('multi.yaml', 'a: 1\n---\nb: 2\n')).toEqual([
      'multi.yaml: expected one YAML document, found several (remove the "---" separator)',
    ]);
  });
});
