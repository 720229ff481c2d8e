/** The book of paid calls: a call several gateways asked for is charged by name, whatever the order of events. */
import { describe, expect, it } from 'vitest';
import { CallBook } from '../../src/anthropic/call-book.ts';

type Event = readonly ['billed' | 'answered', string, string];
const usage = (key: string) => ({ input: key.length * 10, cacheWrite: 0, cacheRead: 3, output: key.length });

function replay(events: readonly Event[]) {
  const book = new CallBook();
  for (const [kind, key, who] of events) {
    if (kind === 'billed') book.billed(key, who, usage(key));
    book.answered(key, who);
  }
  return ['a', 'b', 'c'].map((who) => book.totalsFor(who));
}

describe('CallBook', () => {
  it('charges a shared call to the first asker by name, in every order of the asks', () => {
    // "k1" is paid once and asked by b and a; "key2" is paid by c alone; a asks "k1" twice.
    const orders: Event[][] = [
      [['billed', 'k1', 'b'], ['answered', 'k1', 'a'], ['answered', 'k1', 'a'], ['billed', 'key2', 'c']],
      [['billed', 'key2', 'c'], ['billed', 'k1', 'a'], ['answered', 'k1', 'b'], ['answered', 'k1', 'a']],
      [['answered', 'k1', 'a'], ['billed', 'k1', 'b'], ['billed', 'key2', 'c'], ['answered', 'k1', 'a']],
    ];
    const totals = orders.map(replay);
    // Independent expectation: a pays k1 (20 input, 3 cache read, 2 output), b pays nothing, c pays key2.
    const expected = [
      { calls: 1, answered: 2, usage: { input: 20, cacheWrite: 0, cacheRead: 3, output: 2 } },
      { calls: 0, answered: 1, usage: { input: 0, cacheWrite: 0, cacheRead: 0, output: 0 } },
      { calls: 1, answered: 1, usage: { input: 40, cacheWrite: 0, cacheRead: 3, output: 4 } },
    ];
    // In the third, a's first ask comes before anyone paid for "k1" (as a disk hit would); its second ask still counts.
    for (const each of totals) expect(each).toEqual(expected);
  });
});
