/**
 * Who pays for a call that several gateways asked for. The call cache shares one call between every gateway of a
 * run that asks for the same request (two models whose judges rate the same reply, two entries with the same
 * prompt), and the call is paid once. Charging it to whichever gateway asked first would make the split of calls,
 * tokens and cost between models depend on timing (concurrency, network, the machine's load). The book charges it
 * instead to the first, in name order, of the gateways that asked for it: a function of what was billed and who
 * asked, the same in every run of the same experiment. Every other ask of a paid call counts as a cache hit.
 *
 * Charges move while the run goes on (a gateway with an earlier name may ask later); the totals at the end of a run
 * do not depend on the order of events. Across a kill and `--resume` the earlier process's totals stay as it wrote
 * them (a call paid before the kill and asked again after comes from the disk cache: no longer this run's to split).
 */
import type { TokenUsage } from './pricing.ts';

interface PaidCall {
  /** Times this request was paid (more than once only without a shared cache, or after a failed cache write). */
  calls: number;
  readonly usage: { input: number; cacheWrite: number; cacheRead: number; output: number };
  /** Gateways that asked for it, by name; the first in name order is charged. */
  readonly askers: Set<string>;
  payer: string;
}

export interface PayerTotals {
  readonly calls: number;
  /** Asks answered with a reply (from the API, the cache, or a call in flight). */
  readonly answered: number;
  readonly usage: TokenUsage;
}

const ZERO: PayerTotals = { calls: 0, answered: 0, usage: { input: 0, cacheWrite: 0, cacheRead: 0, output: 0 } };

export class CallBook {
  private readonly paid = new Map<string, PaidCall>();
  private readonly totals = new Map<string, { calls: number; answered: number; usage: { input: number; cacheWrite: number; cacheRead: number; output: number } }>();

  /** A call the API answered for `payer`'s request `key`, with what it billed. */
  billed(key: string, payer: string, usage: TokenUsage): void {
    let call = this.paid.get(key);
    if (call === undefined) {
      call = { calls: 0, usage: { input: 0, cacheWrite: 0, cacheRead: 0, output: 0 }, askers: new Set([payer]), payer };
      this.paid.set(key, call);
    }
    call.calls += 1;
    for (const field of ['input', 'cacheWrite', 'cacheRead', 'output'] as const) call.usage[field] += usage[field];
    this.charge(call.payer, usage, 1);
    this.asked(key, payer);
  }

  /** `asker` got a reply to request `key`: paid by this book's run or not (an earlier run's cache entry). */
  answered(key: string, asker: string): void {
    this.totalsOf(asker).answered += 1;
    this.asked(key, asker);
  }

  totalsFor(payer: string): PayerTotals {
    return this.totals.get(payer) ?? ZERO;
  }

  private asked(key: string, asker: string): void {
    const call = this.paid.get(key);
    if (call === undefined || call.askers.has(asker)) return;
    call.askers.add(asker);
    if (asker >= call.payer) return;
    this.charge(call.payer, call.usage, -call.calls);
    call.payer = asker;
    this.charge(asker, call.usage, call.calls);
  }

  /** Adds a call's usage to a payer's totals (`calls` > 0), or takes it away (`calls` < 0). */
  private charge(payer: string, usage: TokenUsage, calls: number): void {
    const totals = this.totalsOf(payer);
    const sign = Math.sign(calls);
    totals.calls += calls;
    for (const field of ['input', 'cacheWrite', 'cacheRead', 'output'] as const) totals.usage[field] += sign * usage[field];
  }

  private totalsOf(payer: string) {
    let totals = this.totals.get(payer);
    if (totals === undefined) {
      totals = { calls: 0, answered: 0, usage: { input: 0, cacheWrite: 0, cacheRead: 0, output: 0 } };
      this.totals.set(payer, totals);
    }
    return totals;
  }
}
