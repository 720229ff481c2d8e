/** Every YAML file the repository ships is valid against its zod schema and its checked-in JSON Schema. */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fileKind, isYamlFile } from '../../src/config/file-kind.ts';
import { SCHEMAS, schemaFileName } from '../../src/config/json-schemas.ts';
import { SCHEMA_DIR } from '../../src/config/write-json-schemas.ts';

const EXPERIMENTS = join(SCHEMA_DIR, '..');
const shipped = [
  ...readdirSync(EXPERIMENTS).filter(isYamlFile).map((name) => join(EXPERIMENTS, name)),
  ...['scenarios', 'personas', 'llm-users', 'policies', 'models'].flatMap((folder) =>
    readdirSync(join(EXPERIMENTS, folder))
      .filter(isYamlFile)
      .map((name) => join(EXPERIMENTS, folder, name)),
  ),
].sort();

const ajv = new Ajv2020({ allErrors: true, strict: true });

describe.each(shipped.map((file) => [relative(EXPERIMENTS, file), file] as const))('%s', (_name, file) => {
  const text = readFileSync(file, 'utf8');
  const kind = fileKind(file);

  it('points editors at its JSON Schema on the first line', () => {
    const schemaPath = relative(join(file, '..'), join(SCHEMA_DIR, schemaFileName(kind)));
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${schemaPath}`);
  });

  it('is valid against the zod schema', () => {
    const result = SCHEMAS[kind].safeParse(parse(text));
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('is valid against the checked-in JSON Schema', () => {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, schemaFileName(kind)), 'utf8')) as object;
    const validate = ajv.compile(schema);
    validate(parse(text));
    expect(validate.errors ?? []).toEqual([]);
  });
});

it('ships the experiments and policies the README names', () => {
  const names = shipped.map((file) => relative(EXPERIMENTS, file));
  expect(names).toEqual(expect.arrayContaining(['at-risk-safety.yaml', 'quickstart.yaml', 'threshold-sweep.yaml']));
  expect(names).toEqual(expect.arrayContaining([
    'policies/eager.yaml',
    'policies/hybrid.yaml',
    'policies/last-resort.yaml',
    'policies/never-end.yaml',
    'policies/patient.yaml',
    'policies/platform-distress.yaml',
    'policies/user-request-only.yaml',
  ]));
});
