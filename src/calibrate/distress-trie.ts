/**
 * The recorded turns as a prefix tree per user, for the distress log-likelihood. Policies share random numbers, so
 * the same user meets the same turns and the same noise under every policy until their conversations part (the
 * first end one policy permits and another vetoes): the shared turns are one node, counted as many times as
 * sequences pass through it. A likelihood evaluation then folds each node once — O(nodes), not O(turns) — and a
 * bootstrap replicate weighs a node by its user's multiplicity times its count.
 */
export interface DistressTrie {
  /** Parent node, or −1 at a root (a sequence's first step). Parents come before their children. */
  readonly parent: Int32Array;
  readonly user: Int32Array;
  readonly cat: Int32Array;
  readonly sev: Float64Array;
  /** An end attempt of this turn was vetoed: distress rises after it, before the next turn. */
  readonly veto: Uint8Array;
  /** Recorded distress of the observation made at this node, NaN when none (a replayed turn before an edit). */
  readonly x: Float64Array;
  /** Sequences passing through this node. */
  readonly count: Float64Array;
}

export interface TrieSource {
  readonly seqStart: Int32Array;
  readonly seqUser: Int32Array;
  readonly stepCat: Int32Array;
  readonly stepSev: Float64Array;
  readonly stepVeto: Uint8Array;
  readonly stepObs: Int32Array;
  readonly obsDistress: Float64Array;
}

export function distressTrie(c: TrieSource): DistressTrie {
  const child = new Map<string, number>();
  const parent: number[] = [];
  const user: number[] = [];
  const cat: number[] = [];
  const sev: number[] = [];
  const veto: number[] = [];
  const x: number[] = [];
  const count: number[] = [];
  for (let s = 0; s + 1 < c.seqStart.length; s++) {
    let node = -1;
    const u = c.seqUser[s] as number;
    for (let i = c.seqStart[s] as number; i < (c.seqStart[s + 1] as number); i++) {
      const o = c.stepObs[i] as number;
      const distress = o >= 0 ? (c.obsDistress[o] as number) : Number.NaN;
      const key = `${node < 0 ? `u${u}` : node}|${c.stepCat[i]},${c.stepSev[i]},${c.stepVeto[i]},${o >= 0 ? distress : ''}`;
      let next = child.get(key);
      if (next === undefined) {
        next = parent.length;
        child.set(key, next);
        parent.push(node);
        user.push(u);
        cat.push(c.stepCat[i] as number);
        sev.push(c.stepSev[i] as number);
        veto.push(c.stepVeto[i] as number);
        x.push(distress);
        count.push(0);
      }
      count[next] = (count[next] as number) + 1;
      node = next;
    }
  }
  return {
    parent: Int32Array.from(parent),
    user: Int32Array.from(user),
    cat: Int32Array.from(cat),
    sev: Float64Array.from(sev),
    veto: Uint8Array.from(veto),
    x: Float64Array.from(x),
    count: Float64Array.from(count),
  };
}
