/**
 * `welfare-sim import FILE.csv --format bailbench --mapping MAP.yaml --out DIR`: turns a published dataset into
 * scenario files that any experiment can run.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { InputError } from '../../common/input-error.ts';
import { SCHEMA_DIR } from '../../config/write-json-schemas.ts';

interface ImportFlags {
  format: string;
  mapping?: string;
  out?: string;
  prefix: string;
}

const FORMATS = ['bailbench'];

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Turn a dataset into scenario files (BailBench: a CSV with content, subcategory, category).')
    .argument('<file>', 'the dataset file (CSV)')
    .option('--format <name>', `dataset format (${FORMATS.join(', ')})`, 'bailbench')
    .option('--mapping <file>', 'YAML mapping each dataset category to a class and severity (required)')
    .option('--out <dir>', 'a new or empty folder for the scenario files (required)')
    .option('--prefix <id>', 'prefix of the scenario ids', 'bailbench')
    .addHelpText(
      'after',
      `
Mapping file:
  default: {class: harmful, severity: 0.6}          # optional, for categories not listed
  categories:
    "Abuse": {class: abusive, severity: 0.7, category: abuse}
    "Gross": {class: emotional, severity: 0.2}

Examples:
  $ welfare-sim import bail-bench.csv --mapping bailbench-mapping.yaml --out experiments/scenarios-bailbench
  Then in an experiment: scenarios: all, paths: {scenarios: scenarios-bailbench}`,
    )
    .action(async (file: string, flags: ImportFlags) => {
      if (!FORMATS.includes(flags.format)) throw InputError.one('--format', '', `expected one of ${FORMATS.join(', ')}, found "${flags.format}"`);
      if (!flags.mapping) {
        // Without a mapping, say what needs mapping: the CSV's categories, and the shipped template for BailBench.
        const { csvCategories } = await import('../../importers/bailbench.ts');
        const categories = csvCategories(file);
        process.stdout.write(`${file}: ${categories.length} categories to map:\n${categories.map(([c, n]) => `  "${c}": ${n} rows`).join('\n')}\n`);
        throw InputError.one('--mapping', '', 'expected a mapping file (class and severity per category), found none; BailBench\'s 14 categories are mapped in experiments/bailbench/mapping.yaml');
      }
      if (!flags.out) throw InputError.one('--out', '', 'expected a folder to write the scenarios to, found none');
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(flags.prefix)) throw InputError.one('--prefix', '', `expected a kebab-case id prefix, found "${flags.prefix}"`);
      const [{ importBailbench }, { writeScenarioFolder }] = await Promise.all([
        import('../../importers/bailbench.ts'),
        import('../../importers/write-scenario-folder.ts'),
      ]);
      const scenarios = importBailbench(file, flags.mapping, flags.prefix);
      writeScenarioFolder(scenarios, flags.out, join(SCHEMA_DIR, 'scenario.schema.json'));
      const classes = new Map<string, number>();
      for (const s of scenarios) classes.set(s.class, (classes.get(s.class) ?? 0) + 1);
      const summary = [...classes].map(([c, n]) => `${n} ${c}`).join(', ');
      process.stdout.write(`Wrote ${scenarios.length} scenarios (${summary}) to ${flags.out}\n`);
    });
}
