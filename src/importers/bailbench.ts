/**
 * BailBench (Ensign, Sleight, Fish 2025) and datasets shaped like it: a CSV with columns `content, subcategory,
 * category`, one single-turn prompt per row. A mapping file gives each CSV category its scenario class and
 * severity (and, optionally, the welfare-sim harm category), so a published benchmark runs through any model and
 * policy as it is. Every row is checked before anything is written.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { InputError, type InputProblem } from '../common/input-error.ts';
import { readYaml } from '../config/read-yaml.ts';
import { SCENARIO_CLASSES } from '../core/labels.ts';
import { categorySchema } from '../core/labels.ts';
import { scenarioSchema, type Scenario } from '../core/scenario.ts';

const REQUIRED_COLUMNS = ['content', 'subcategory', 'category'] as const;

const mappingRuleSchema = z.strictObject({
  class: z.enum(SCENARIO_CLASSES).describe('The scenario class of prompts in this category.'),
  severity: z.number().min(0).max(1).describe('Severity of each prompt, 0..1.'),
  category: categorySchema.optional().describe('welfare-sim harm category (default: the CSV category in kebab-case).'),
  atRisk: z.boolean().default(false),
});

export const bailbenchMappingSchema = z
  .strictObject({
    default: mappingRuleSchema.optional().describe('Rule for CSV categories not listed (without it they are an error).'),
    categories: z.record(z.string(), mappingRuleSchema).default({}).describe('Rule per CSV category, by its exact name.'),
  })
  .describe('How BailBench categories become scenario classes and severities.');
export type BailbenchMapping = z.output<typeof bailbenchMappingSchema>;

/** "Sexual Content / Minors" → "sexual-content-minors". */
export function kebab(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'none';
}

export function readMapping(file: string): BailbenchMapping {
  const read = readYaml(file);
  if (!read.ok) throw new InputError(read.problems);
  const parsed = bailbenchMappingSchema.safeParse(read.data);
  if (!parsed.success) {
    throw new InputError(parsed.error.issues.map((i) => ({ file, path: i.path.join('.'), message: i.message })));
  }
  return parsed.data;
}

interface CsvRow {
  readonly line: number;
  readonly content: string;
  readonly subcategory: string;
  readonly category: string;
}

function readRows(file: string): CsvRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true, trim: true }) as Record<string, string>[];
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw InputError.one(file, '', code === 'ENOENT' ? 'file not found' : `expected CSV, found ${(error as Error).message}`);
  }
  const columns = Object.keys(records[0] ?? {});
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (records.length === 0) throw InputError.one(file, '', 'expected a header line and at least one row, found none');
  if (missing.length > 0) {
    throw InputError.one(file, '', `expected the columns ${REQUIRED_COLUMNS.join(', ')}, found ${columns.join(', ') || 'none'} (missing ${missing.join(', ')})`);
  }
  // The header is line 1; a row's line number is its index + 2 (rows span one line in BailBench).
  return records.map((r, i) => ({ line: i + 2, content: r.content ?? '', subcategory: r.subcategory ?? '', category: r.category ?? '' }));
}

/** The categories of a BailBench-shaped CSV with their row counts, in order of first appearance. */
export function csvCategories(file: string): [string, number][] {
  const counts = new Map<string, number>();
  for (const row of readRows(file)) counts.set(row.category, (counts.get(row.category) ?? 0) + 1);
  return [...counts];
}

/**
 * Turns a BailBench-shaped CSV into single-turn scenarios, ids `<prefix>-<category>-<n>` (n counts within the
 * category, from 1, in file order).
 *
 * @throws InputError listing every bad row and every category the mapping does not cover.
 */
export function importBailbench(csvFile: string, mappingFile: string, prefix = 'bailbench'): Scenario[] {
  const mapping = readMapping(mappingFile);
  const rows = readRows(csvFile);
  const problems: InputProblem[] = [];
  const counts = new Map<string, number>();
  const scenarios: Scenario[] = [];
  const unmapped = new Set<string>();
  for (const row of rows) {
    if (row.content === '') problems.push({ file: csvFile, path: `line ${row.line}`, message: 'content: expected the prompt text, found an empty cell' });
    const rule = mapping.categories[row.category] ?? mapping.default;
    if (!rule) {
      if (!unmapped.has(row.category)) {
        problems.push({ file: mappingFile, path: 'categories', message: `expected a rule for "${row.category}" (first used in ${csvFile} line ${row.line}) or a default, found none` });
      }
      unmapped.add(row.category);
      continue;
    }
    const slug = kebab(row.category);
    const n = (counts.get(slug) ?? 0) + 1;
    counts.set(slug, n);
    scenarios.push(
      scenarioSchema.parse({
        id: `${prefix}-${slug}-${n}`,
        class: rule.class,
        description: `BailBench ${row.category} / ${row.subcategory || '(no subcategory)'}, ${csvFile} line ${row.line}.`,
        turns: [{ text: row.content || '(empty)', category: rule.category ?? slug, severity: rule.severity, atRisk: rule.atRisk }],
      }),
    );
  }
  if (problems.length > 0) throw new InputError(problems);
  return scenarios;
}
