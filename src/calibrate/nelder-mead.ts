/**
 * A small Nelder–Mead simplex minimiser (Nelder & Mead 1965, The Computer Journal 7(4):308–313), with the standard
 * coefficients (reflection 1, expansion 2, contraction 0.5, shrink 0.5) as in Lagarias et al. 1998 (SIAM J. Optim.
 * 9(1):112–147). Unconstrained: callers transform bounded parameters first. Deterministic.
 */

export interface MinimizeOptions {
  /** Initial step along each axis (default 0.5). */
  readonly step?: number;
  readonly maxEvaluations?: number;
  /** Stop when the simplex's function values differ by less than this (default 1e-8). */
  readonly tolerance?: number;
  /** Restarts from the best point, to escape a collapsed simplex (default 2). */
  readonly restarts?: number;
}

export interface MinimizeResult {
  readonly x: number[];
  readonly value: number;
  readonly evaluations: number;
  readonly converged: boolean;
}

export function nelderMead(f: (x: readonly number[]) => number, start: readonly number[], options: MinimizeOptions = {}): MinimizeResult {
  const maxEvaluations = options.maxEvaluations ?? 4000 * Math.max(1, start.length);
  const restarts = options.restarts ?? 2;
  let best = { x: [...start], value: f(start) };
  let evaluations = 1;
  let converged = false;
  for (let round = 0; round <= restarts && evaluations < maxEvaluations; round++) {
    const result = simplexRun(f, best.x, options.step ?? 0.5, maxEvaluations - evaluations, options.tolerance ?? 1e-8);
    evaluations += result.evaluations;
    const improved = result.value < best.value - 1e-10;
    if (result.value <= best.value) best = { x: result.x, value: result.value };
    converged = result.converged;
    if (!improved && round > 0) break;
  }
  return { ...best, evaluations, converged };
}

function simplexRun(f: (x: readonly number[]) => number, start: readonly number[], step: number, budget: number, tolerance: number) {
  const n = start.length;
  const points: number[][] = [[...start]];
  for (let i = 0; i < n; i++) {
    const p = [...start];
    p[i] = (p[i] as number) + step;
    points.push(p);
  }
  const values = points.map((p) => safe(f(p)));
  let evaluations = n + 1;
  const evaluate = (p: number[]): number => {
    evaluations += 1;
    return safe(f(p));
  };
  while (evaluations < budget) {
    const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
    const sortedPoints = order.map((i) => points[i] as number[]);
    const sortedValues = order.map((i) => values[i] as number);
    points.splice(0, points.length, ...sortedPoints);
    values.splice(0, values.length, ...sortedValues);
    const lo = values[0] as number;
    const hi = values[n] as number;
    if (Math.abs(hi - lo) <= tolerance * (1 + Math.abs(lo))) return { x: points[0] as number[], value: lo, evaluations, converged: true };
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + (points[i]?.[j] as number) / n;
    const worst = points[n] as number[];
    const along = (t: number): number[] => centroid.map((c, j) => c + t * (c - (worst[j] as number)));
    const reflected = along(1);
    const fr = evaluate(reflected);
    if (fr < lo) {
      const expanded = along(2);
      const fe = evaluate(expanded);
      if (fe < fr) replace(points, values, n, expanded, fe);
      else replace(points, values, n, reflected, fr);
    } else if (fr < (values[n - 1] as number)) {
      replace(points, values, n, reflected, fr);
    } else {
      const outside = fr < hi;
      const contracted = along(outside ? 0.5 : -0.5);
      const fc = evaluate(contracted);
      if (fc < (outside ? fr : hi)) replace(points, values, n, contracted, fc);
      else {
        const bestPoint = points[0] as number[];
        for (let i = 1; i <= n; i++) {
          const p = (points[i] as number[]).map((v, j) => (bestPoint[j] as number) + 0.5 * (v - (bestPoint[j] as number)));
          points[i] = p;
          values[i] = evaluate(p);
        }
      }
    }
  }
  const bestIndex = values.indexOf(Math.min(...values));
  return { x: points[bestIndex] as number[], value: values[bestIndex] as number, evaluations, converged: false };
}

function replace(points: number[][], values: number[], i: number, p: number[], v: number): void {
  points[i] = p;
  values[i] = v;
}

const safe = (v: number): number => (Number.isFinite(v) ? v : Number.MAX_VALUE);
