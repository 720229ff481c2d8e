/** The terminal summary of `welfare-sim tune`: the answer, what is settled, where the files are. */
import { objectiveFigure } from '../core/tune-schema.ts';
import { formatEstimate, type TuneAnswer } from '../runner/tune/tune-answer.ts';

export function formatTuneSummary(answer: TuneAnswer, seconds: number, report: string | null): string {
  const { figure } = objectiveFigure(answer.objective);
  const left = answer.candidates.filter((c) => c.status !== 'racing');
  const lines = [
    `Raced ${answer.candidates.length} candidates with ${answer.conversations} conversations in ${seconds.toFixed(1)} s (${left.length} left the race).`,
    `Intervals: ${(answer.level * 100).toPrecision(6)}% two-sided each, ${(answer.confidence * 100).toFixed(0)}% family-wise (Bonferroni over ${answer.tests}).`,
    ...(answer.stopped ? [`Stopped early: ${answer.stopped}.`] : []),
    ...(answer.spentUsd > 0 ? [`Estimated spend: $${answer.spentUsd.toFixed(2)}.`] : []),
    '',
    answer.pareto.length === 0 ? 'No candidate is proven feasible.' : 'Feasible Pareto set:',
    ...answer.pareto.map((name) => {
      const row = answer.candidates.find((c) => c.name === name);
      const cons = answer.constraints.map((c) => `${c.figure} ${formatEstimate(row?.figures[c.figure])}`);
      return `  ${name === answer.recommended ? '*' : ' '} ${name} (${row?.repetitions ?? 0} repetitions)\n      ${figure} ${formatEstimate(row?.figures[figure])}${cons.map((c) => `\n      ${c}`).join('')}`;
    }),
    ...(answer.unsettled.length > 0 ? ['', `Not settled (a constraint interval still straddles its limit): ${answer.unsettled.join(', ')}`] : []),
    '',
    `Answer: ${answer.runDir}/tune-answer.json`,
    ...(answer.policyFile ? [`Recommended policy (*): ${answer.policyFile}`] : []),
    ...(report ? [`Report: ${report}`] : []),
  ];
  return lines.join('\n') + '\n';
}
