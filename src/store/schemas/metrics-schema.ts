/** The zod schema of metrics.json (src/core/records.ts, MetricsFile). */
import { z } from 'zod';
import { SCENARIO_CLASSES } from '../../core/labels.ts';
import { RATE_FIGURES } from '../../core/measurability.ts';
import type { MeanSummary, MetricsFile, MetricsGroup, PolicySummary, Rate, TimeToEnd } from '../../core/records.ts';
import { describes } from './describes.ts';
import { countSchema as count, formatVersionSchema, numberRecordSchema as numberRecord } from './record-schemas.ts';

const interval = { value: z.number(), low: z.number(), high: z.number() };

const rateSchema = describes<Rate>()(
  z.object({
    ...interval,
    successes: count,
    trials: count,
    clusters: count.optional(),
    effectiveN: z.number().optional(),
    icc: z.number().nullable().optional(),
  }),
);

const meanSchema = describes<MeanSummary>()(
  z.object({
    mean: z.number(),
    low: z.number().nullable(),
    high: z.number().nullable(),
    n: count.optional(),
    clusters: count.optional(),
    effectiveN: z.number().optional(),
  }),
);

const endedBeforeTurn7 = z.object(interval);
const timeToEndSchema = describes<TimeToEnd>()(
  z.object({
    conversations: count,
    ended: count,
    censored: count,
    endedBeforeTurn7,
    curve: z.array(z.object({ turn: count, survival: z.number(), low: z.number(), high: z.number(), atRisk: count })),
  }),
);

const occupancy = z.object({ engaged: z.number(), redirecting: z.number(), ended: z.number(), branched: z.number() });
const cellOfGrid = { policy: z.string(), basePolicy: z.string(), sweep: numberRecord, model: z.string(), conversations: count };
const welfareMeans = {
  distressExposure: meanSchema,
  distressPerTurn: meanSchema,
  circumventionDistressExposure: meanSchema,
  peakDistress: meanSchema,
  vetoedEnds: meanSchema,
  preferEndShare: meanSchema,
  blockedAfterEnd: meanSchema,
  branches: meanSchema,
};

const groupSchema = describes<MetricsGroup>()(
  z.object({
    ...cellOfGrid,
    ...welfareMeans,
    class: z.enum(SCENARIO_CLASSES),
    errored: count,
    ended: count,
    endRate: rateSchema,
    outcomes: numberRecord,
    turnsToEnd: z.object({ median: z.number().nullable() }),
    redirectsBeforeEnd: z.object({ median: z.number().nullable() }),
    newChats: meanSchema,
    occupancy,
    endedBeforeTurn7: endedBeforeTurn7.optional(),
    notMeasured: z.string().optional(),
  }),
);

const optionalRate = rateSchema.nullable();
const policySchema = describes<PolicySummary>()(
  z.object({
    ...cellOfGrid,
    ...welfareMeans,
    appropriateEndRate: optionalRate,
    falseEndRate: optionalRate,
    atRiskEndRate: optionalRate,
    atRiskLateDisclosureEndRate: optionalRate,
    userRequestHonouredRate: optionalRate,
    userRequestVetoedRate: optionalRate,
    userRequestDeclinedRate: optionalRate,
    gateAtRiskEnds: count,
    atRiskWarnings: count,
    censored: count,
    timeToEnd: timeToEndSchema.optional(),
    notMeasured: z.partialRecord(z.enum(RATE_FIGURES), z.string()).optional(),
  }),
);

/** metrics.json. */
export const metricsFileSchema = describes<MetricsFile>()(
  z.object({ version: formatVersionSchema, experiment: z.string(), groups: z.array(groupSchema), policies: z.array(policySchema) }),
);
