/** Every chart of a run, in the order the report shows them. Each builder is pure: RunData in, spec (or null) out. */
import type { TopLevelSpec } from 'vega-lite';
import type { RunData } from '../run-data.ts';
import { distressOverTurnsChart } from './distress-over-turns.ts';
import { endOutcomesChart } from './end-outcomes.ts';
import { paretoFrontierChart } from './pareto-frontier.ts';
import { preferenceHeatmapChart } from './preference-heatmap.ts';
import { stateOccupancyChart } from './state-occupancy.ts';
import { thresholdCurvesChart } from './threshold-curves.ts';
import { timeToEndChart } from './time-to-end.ts';

export interface ChartDefinition {
  /** File stem under charts/: `<name>.vl.json`, `.svg`, `.png`. */
  readonly name: string;
  readonly title: string;
  /** Null when the chart does not apply to the run (e.g. threshold curves without a sweep). */
  readonly build: (data: RunData) => TopLevelSpec | null;
}

export const CHARTS: readonly ChartDefinition[] = [
  { name: 'distress-over-turns', title: 'Apparent distress over turns', build: distressOverTurnsChart },
  { name: 'end-outcomes', title: 'End outcomes by class and policy', build: endOutcomesChart },
  { name: 'time-to-end', title: 'Time to end', build: timeToEndChart },
  { name: 'threshold-curves', title: 'Threshold curves', build: thresholdCurvesChart },
  { name: 'pareto-frontier', title: 'Pareto frontier', build: paretoFrontierChart },
  { name: 'state-occupancy', title: 'State occupancy', build: stateOccupancyChart },
  { name: 'preference-heatmap', title: 'Preference to end by category and turn', build: preferenceHeatmapChart },
];

export interface BuiltChart {
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

/** The charts that apply to this run, built. */
export function buildCharts(data: RunData): BuiltChart[] {
  return CHARTS.flatMap((chart) => {
    const spec = chart.build(data);
    return spec === null ? [] : [{ name: chart.name, title: chart.title, spec }];
  });
}
