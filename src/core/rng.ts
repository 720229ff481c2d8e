/**
 * Seeded randomness (sfc32 seeded by a string hash). Nothing in welfare-sim calls Math.random: every draw comes
 * from an Rng built from the experiment seed, so a run reproduces exactly.
 *
 * `fork(label)` derives an independent stream by name. The runner forks per (user, model, seed) — never per
 * policy — so every policy meets the same user and the same model noise (common random numbers), and per turn,
 * so a policy that changes how many draws one turn makes does not shift the draws of later turns.
 */
import { hash128 } from './hash.ts';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** Index drawn in proportion to the weights; -1 when all weights are 0. */
  weighted(weights: readonly number[]): number;
  /** An independent stream derived from this one's seed and a label. */
  fork(label: string | number): Rng;
  readonly seed: string;
}

export function createRng(seed: string | number): Rng {
  return new Sfc32(String(seed));
}

/** A class, not closures: the runner creates several streams per turn, and prototype methods cost nothing to make. */
class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: string) {
    [this.a, this.b, this.c, this.d] = hash128(seed);
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: no items to pick from');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    if (total <= 0) return -1;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  fork(label: string | number): Rng {
    return new Sfc32(`${this.seed}/${label}`);
  }
}
