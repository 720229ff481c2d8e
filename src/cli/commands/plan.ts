/**
 * `welfare-sim plan RUN_DIR`: from a pilot run, the users and repetitions a study needs (src/core/plan.ts).
 */
import type { Command } from 'commander';
import { InputError } from '../../common/input-error.ts';
import { planFromPilot, PLAN_METRICS, type Plan, type PlanMetric, type PlanTarget } from '../../core/plan.ts';
import { renderTable } from '../../report/comparison-table.ts';
import { readConversations, readFinishedRun } from '../../store/read-run.ts';

interface PlanFlags {
  metric: string;
  difference?: string;
  width?: string;
  power: string;
  repetitions?: string;
  json?: boolean;
}

const isMetric = (name: string): name is PlanMetric => Object.hasOwn(PLAN_METRICS, name);

function positiveNumber(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0 && value <= max)) throw InputError.one(flag, '', `expected a number above 0 and at most ${max}, found "${text}"`);
  return value;
}

function targetOf(flags: PlanFlags, metric: PlanMetric): PlanTarget {
  if ((flags.difference === undefined) === (flags.width === undefined)) {
    throw InputError.one('plan', '', 'expected exactly one of --difference D or --width W, found ' + (flags.difference === undefined ? 'neither' : 'both'));
  }
  const max = PLAN_METRICS[metric].kind === 'rate' ? 1 : Number.MAX_VALUE;
  return flags.difference !== undefined ? { difference: positiveNumber('--difference', flags.difference, max) } : { width: positiveNumber('--width', flags.width ?? '', max) };
}

export function formatPlan(plan: Plan): string {
  const rate = PLAN_METRICS[plan.metric].kind === 'rate';
  const fmt = (x: number): string => (rate ? `${(x * 100).toFixed(1)}%` : x.toFixed(3));
  const goal = 'difference' in plan.target
    ? `detect a difference of ${fmt(plan.target.difference)} between two policies (two-sided α = ${plan.power.alpha}, power ${plan.power.power})`
    : `a 95% interval of full width ${fmt(plan.target.width)}`;
  const rows = plan.arms.flatMap((arm) =>
    arm.options.map((o, i) => [
      i === 0 ? arm.policy : '',
      i === 0 ? arm.model : '',
      i === 0 ? `${arm.pilotUsers} × ${(arm.pilotConversations / arm.pilotUsers).toFixed(1)}` : '',
      i === 0 ? fmt(arm.estimate) : '',
      i === 0 ? (arm.icc === null ? `1 (assumed: ${arm.iccNote})` : arm.icc.toFixed(3)) : '',
      i === 0 ? Math.ceil(arm.independent).toString() : '',
      String(o.repetitions),
      o.designEffect.toFixed(2),
      String(o.users),
      String(o.users * o.repetitions),
    ]),
  );
  const table = renderTable(['policy', 'model', 'pilot users × reps', plan.metric, 'ICC', 'independent n', 'reps', 'design effect', 'users needed', 'conversations'], rows);
  return `Plan for ${plan.metric}: ${goal}${'difference' in plan.target ? ', per policy' : ''}.\n\n${table}` +
    'Users needed = ⌈n · (1 + (reps − 1) · ICC) / reps⌉ (Donner & Klar); with ICC near 1, repetitions of a user add nothing. See docs/statistics.md.\n';
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('From a pilot run: how many users and repetitions are needed to detect a difference in a metric, or to reach an interval width, with the intra-cluster correlation the pilot measured.')
    .argument('<run-dir>', 'a finished pilot run directory')
    .option('--metric <metric>', `one of ${Object.keys(PLAN_METRICS).join(', ')}`, 'appropriateEndRate')
    .option('--difference <d>', 'the difference between two policies to detect (a proportion for rates, e.g. 0.1)')
    .option('--width <w>', 'the full width of the 95% interval to reach (a proportion for rates)')
    .option('--power <p>', 'power for --difference', '0.8')
    .option('--repetitions <list>', 'also plan for these repetitions per user, comma-separated, e.g. 5,20')
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ welfare-sim plan runs/quickstart/latest --metric falseEndRate --difference 0.05
  $ welfare-sim plan runs/quickstart/latest --metric distressExposure --width 0.5 --repetitions 3,30`,
    )
    .action(async (runDir: string, flags: PlanFlags) => {
      if (!isMetric(flags.metric)) throw InputError.one('--metric', '', `expected one of ${Object.keys(PLAN_METRICS).join(', ')}, found "${flags.metric}"`);
      const metric = flags.metric;
      const target = targetOf(flags, metric);
      const power = positiveNumber('--power', flags.power, 0.999);
      const repetitions = (flags.repetitions ?? '').split(',').filter((s) => s.trim() !== '').map((s) => {
        const m = Number(s);
        if (!(Number.isInteger(m) && m >= 1)) throw InputError.one('--repetitions', '', `expected whole numbers of at least 1, found "${s}"`);
        return m;
      });
      readFinishedRun(runDir);
      const plan = planFromPilot(await readConversations(runDir), { metric, target, power: { alpha: 0.05, power }, repetitions });
      if (plan.arms.length === 0) throw InputError.one(runDir, '', `expected conversations that ${metric} is measured on, found none`);
      process.stdout.write(flags.json ? JSON.stringify(plan, null, 2) + '\n' : formatPlan(plan));
    });
}
