import { describe, expect, it } from 'vitest';
import { endedBefore, endedByDesign, kaplanMeier, survivalAt, wilsonInterval } from '../../../src/core/stats/index.ts';

// Remission times (weeks) of the 6-MP group of Freireich et al., Blood 21:699–716 (1963); censored times marked
// false. The Kaplan–Meier table is the worked example of D. G. Kleinbaum, M. Klein, Survival Analysis: A
// Self-Learning Text (3rd ed., Springer 2012), ch. 2, and of D. Collett, Modelling Survival Data in Medical
// Research (3rd ed., CRC 2015), ch. 2. The Greenwood standard errors and log-log limits are the published output
// of R's survival package for these data (summary(survfit(Surv(time, status) ~ 1, conf.type = "log-log"))).
const SIX_MP: readonly [number, boolean][] = [
  [6, true], [6, true], [6, true], [6, false], [7, true], [9, false], [10, true], [10, false], [11, false], [13, true],
  [16, true], [17, false], [19, false], [20, false], [22, true], [23, true], [25, false], [32, false], [32, false],
  [34, false], [35, false],
];
const observations = SIX_MP.map(([time, ended]) => ({ time, ended }));

describe('kaplanMeier', () => {
  const curve = kaplanMeier(observations);

  it('reproduces the 6-MP product-limit table with Greenwood standard errors', () => {
    // time, at risk, S(t), se(S) = S·√Σd/(n(n−d))
    const published: [number, number, number, number][] = [
      [6, 21, 0.8571, 0.0764],
      [7, 17, 0.8067, 0.0869],
      [10, 15, 0.7529, 0.0963],
      [13, 12, 0.6902, 0.1068],
      [16, 11, 0.6275, 0.1141],
      [22, 7, 0.5378, 0.1282],
      [23, 6, 0.4482, 0.1346],
    ];
    const endSteps = curve.steps.filter((s) => s.ended > 0);
    expect(endSteps.map((s) => [s.time, s.atRisk])).toEqual(published.map(([t, n]) => [t, n]));
    for (const [i, [, , survival, se]] of published.entries()) {
      const step = endSteps[i];
      expect(step?.survival).toBeCloseTo(survival, 4);
      expect((step?.survival ?? 0) * Math.sqrt(step?.greenwood ?? 0)).toBeCloseTo(se, 4);
    }
  });

  it('gives the published log-log 95% limits', () => {
    const limits: [number, number, number][] = [
      [6, 0.62, 0.952],
      [10, 0.503, 0.889],
      [16, 0.368, 0.805],
      [23, 0.188, 0.68],
    ];
    for (const [time, low, high] of limits) {
      const point = survivalAt(curve, time);
      expect(point.low).toBeCloseTo(low, 3);
      expect(point.high).toBeCloseTo(high, 3);
    }
  });

  it('reads a share ended before a turn off the curve, bounded above even before the first end', () => {
    const before7 = endedBefore(curve, 7); // 1 − S(6)
    expect(before7.survival).toBeCloseTo(3 / 21, 12);
    expect(before7.low).toBeCloseTo(1 - 0.952, 3);
    const before6 = endedBefore(curve, 6); // nobody ended before week 6: 0 of 21 at risk
    expect(before6).toMatchObject({ survival: 0, low: 0 });
    expect(before6.high).toBeCloseTo(wilsonInterval(0, 21).high, 12);
  });

  it('widens by the design effect of clustered conversations', () => {
    const clustered = observations.map((o, i) => ({ ...o, cluster: `u${i % 3}` }));
    const design = endedByDesign(clustered, 10);
    const plain = survivalAt(curve, 10);
    const inflated = survivalAt(curve, 10, 2);
    expect(inflated.high - inflated.low).toBeGreaterThan(plain.high - plain.low);
    expect(design.clusters).toBe(3);
  });
});

describe('counted observations', () => {
  it('give the same curve and design as the observations listed one by one', () => {
    const listed = SIX_MP.map(([time, ended], i) => ({ time, ended, cluster: `u${i % 2}` }));
    const counted = new Map<string, { time: number; ended: boolean; cluster: string; count: number }>();
    for (const o of listed) {
      const key = `${o.cluster}/${o.time}/${o.ended}`;
      const cell = counted.get(key);
      if (cell === undefined) counted.set(key, { ...o, count: 1 });
      else cell.count += 1;
    }
    expect(counted.size).toBeLessThan(listed.length); // some observations were counted together
    expect(kaplanMeier([...counted.values()])).toEqual(kaplanMeier(listed));
    expect(endedByDesign([...counted.values()], 10)).toEqual(endedByDesign(listed, 10));
  });
});
