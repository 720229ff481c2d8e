import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJsonSchemas } from '../../src/config/json-schemas.ts';
import { SCHEMA_DIR } from '../../src/config/write-json-schemas.ts';

describe('checked-in JSON Schemas', () => {
  it('are what the zod schemas generate today', () => {
    const stale: string[] = [];
    for (const [name, expected] of renderJsonSchemas()) {
      let actual = '';
      try {
        actual = readFileSync(join(SCHEMA_DIR, name), 'utf8');
      } catch {
        actual = '(missing)';
      }
      if (actual !== expected) stale.push(`experiments/schema/${name} is stale: run npm run schemas`);
    }
    expect(stale).toEqual([]);
  });

  it('cover every kind of file', () => {
    expect([...renderJsonSchemas().keys()]).toEqual([
      'experiment.schema.json',
      'policy.schema.json',
      'scenario.schema.json',
      'persona.schema.json',
      'model.schema.json',
      'llm-user.schema.json',
    ]);
  });

  it('are draft 2020-12 and leave fields with defaults optional', () => {
    const policy = JSON.parse(renderJsonSchemas().get('policy.schema.json') ?? '{}') as { $schema: string; required: string[] };
    expect(policy.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(policy.required).toEqual(['name']);
  });
});
