/**
 * The JSON Schemas of the YAML files, generated from the zod schemas (the single source of truth) so editors can
 * complete and check the files. Checked in under experiments/schema/; `npm run schemas` rewrites them.
 */
import { z } from 'zod';
import { experimentSchema } from '../core/experiment.ts';
import { llmPersonaSchema } from '../core/llm-persona.ts';
import { modelEntrySchema } from '../core/model-profile.ts';
import { personaSchema } from '../core/persona.ts';
import { policySchema } from '../core/policy.ts';
import { scenarioSchema } from '../core/scenario.ts';

/** The kinds of file welfare-sim reads. */
export const FILE_KINDS = ['experiment', 'policy', 'scenario', 'persona', 'model', 'llm-user'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** The zod schema of each kind of file. */
export const SCHEMAS = {
  experiment: experimentSchema,
  policy: policySchema,
  scenario: scenarioSchema,
  persona: personaSchema,
  model: modelEntrySchema,
  'llm-user': llmPersonaSchema,
} as const satisfies Record<FileKind, z.ZodType>;

/** A JSON Schema, as a plain JSON value. */
export type JsonSchema = { readonly [key: string]: unknown };

/** The JSON Schema of one kind (draft 2020-12, input side: fields with defaults are optional). */
export function jsonSchemaFor(kind: FileKind): JsonSchema {
  return z.toJSONSchema(SCHEMAS[kind], { target: 'draft-2020-12', io: 'input' }) as JsonSchema;
}

/** File name of a kind's schema inside experiments/schema/. */
export function schemaFileName(kind: FileKind): string {
  return `${kind}.schema.json`;
}

/** The exact text each checked-in schema file must have: file name → content. */
export function renderJsonSchemas(): Map<string, string> {
  return new Map(FILE_KINDS.map((kind) => [schemaFileName(kind), JSON.stringify(jsonSchemaFor(kind), null, 2) + '\n']));
}
