/**
 * The experiment grid: users × models × policies × sweep points × repetitions, in one fixed order (users
 * outermost, repetitions innermost). A cell is computed from its index alone, so a run, a resume and a shard
 * agree on what conversation N is without materialising the grid.
 */
import { stableId } from './hash.ts';
import type { ScenarioClass } from './labels.ts';
import type { Policy } from './policy.ts';
import type { ConversationCell } from './records.ts';

export interface GridUser {
  readonly id: string;
  readonly kind: ConversationCell['userKind'];
  readonly class: ScenarioClass;
}

export interface GridSpec {
  readonly experiment: string;
  readonly seed: number;
  readonly repetitions: number;
  readonly users: readonly GridUser[];
  readonly models: readonly string[];
  readonly policies: readonly Policy[];
  /** Sweep points in order; [{}] when nothing is swept. */
  readonly sweep: readonly Readonly<Record<string, number>>[];
}

export interface GridCell extends ConversationCell {
  /** The policy as run: the base policy with the sweep point's values applied. */
  readonly policyConfig: Policy;
}

export function gridSize(spec: GridSpec): number {
  return spec.users.length * spec.models.length * spec.policies.length * spec.sweep.length * spec.repetitions;
}

/** `last-resort[minRedirects=2,distressThreshold=0.6]`, or the base name when nothing is swept. */
export function policyVariantName(base: string, point: Readonly<Record<string, number>>): string {
  const entries = Object.entries(point);
  if (entries.length === 0) return base;
  return `${base}[${entries.map(([field, value]) => `${field}=${value}`).join(',')}]`;
}

export function cellAt(spec: GridSpec, index: number): GridCell {
  if (!Number.isInteger(index) || index < 0 || index >= gridSize(spec)) {
    throw new RangeError(`grid index ${index} is outside 0..${gridSize(spec) - 1}`);
  }
  let rest = index;
  const seed = rest % spec.repetitions;
  rest = Math.floor(rest / spec.repetitions);
  const point = spec.sweep[rest % spec.sweep.length] as Readonly<Record<string, number>>;
  rest = Math.floor(rest / spec.sweep.length);
  const basePolicy = spec.policies[rest % spec.policies.length] as Policy;
  rest = Math.floor(rest / spec.policies.length);
  const model = spec.models[rest % spec.models.length] as string;
  rest = Math.floor(rest / spec.models.length);
  const user = spec.users[rest] as GridUser;

  const policy = policyVariantName(basePolicy.name, point);
  return {
    index,
    id: stableId(spec.experiment, spec.seed, user.kind, user.id, model, policy, seed),
    user: user.id,
    userKind: user.kind,
    class: user.class,
    model,
    policy,
    basePolicy: basePolicy.name,
    sweep: point,
    seed,
    policyConfig: { ...basePolicy, ...point, name: policy },
  };
}

/** Indices of shard `shard` (1-based) of `shards`: every shards-th cell, so each shard gets a bit of everything. */
export function* shardIndices(size: number, shard = 1, shards = 1): Generator<number> {
  for (let index = shard - 1; index < size; index += shards) yield index;
}

/**
 * The seed of all randomness for a cell: (experiment seed, user, model, repetition) — deliberately not the policy,
 * so every policy meets the same user and the same model noise (common random numbers).
 */
export function commonRandomSeed(spec: Pick<GridSpec, 'seed'>, cell: ConversationCell): string {
  return `${spec.seed}|${cell.userKind}:${cell.user}|${cell.model}|${cell.seed}`;
}
