/**
 * The held-out split is stratified by class: every class with two or more users is checked on someone the fit never
 * saw, a single-user class stays in the fit, and the split is a seeded function of the users alone.
 */
import { describe, expect, it } from 'vitest';
import { splitUsers } from '../../src/calibrate/holdout.ts';

// 12 users over 6 classes, the shape of the shipped surrogate pilot: the unstratified split held out 4 users and
// left 5 of the classes unchecked.
const CLASS_OF_USER = new Map<string, string>([
  ['abusive-a', 'abusive'], ['abusive-b', 'abusive'], ['abusive-c', 'abusive'], ['abusive-d', 'abusive'],
  ['benign-a', 'benign'], ['benign-b', 'benign'], ['benign-c', 'benign'],
  ['harmful-a', 'harmful'], ['harmful-b', 'harmful'],
  ['at-risk-a', 'at-risk'], ['at-risk-b', 'at-risk'],
  ['tough-a', 'tough'],
]);

function classesOf(users: readonly string[]): Set<string> {
  return new Set(users.map((u) => CLASS_OF_USER.get(u) ?? "?"));
}

describe('splitUsers', () => {
  it('holds out round(fraction × n) users of each class of n ≥ 2, clamped to [1, n − 1]; a lone user stays in the fit', () => {
    const { fit, heldOut } = splitUsers(CLASS_OF_USER, 0.34, 1);
    // Counted by hand per class: abusive 4 → round(1.36) = 1; benign 3 → round(1.02) = 1; harmful 2 → round(0.68) = 1;
    // at-risk 2 → 1; tough 1 → 0.
    const count = (cls: string) => heldOut.filter((u) => CLASS_OF_USER.get(u) === cls).length;
    expect([count('abusive'), count('benign'), count('harmful'), count('at-risk'), count('tough')]).toEqual([1, 1, 1, 1, 0]);
    expect([...fit, ...heldOut].sort()).toEqual([...CLASS_OF_USER.keys()].sort());
    expect(fit.filter((u) => heldOut.includes(u))).toEqual([]);
    for (const cls of ['abusive', 'benign', 'harmful', 'at-risk', 'tough']) expect(classesOf(fit).has(cls)).toBe(true);
  });

  it('never holds out a whole class, even at a fraction of 0.9', () => {
    const { fit, heldOut } = splitUsers(CLASS_OF_USER, 0.9, 3);
    expect(heldOut.filter((u) => CLASS_OF_USER.get(u) === 'abusive')).toHaveLength(3);
    expect(classesOf(fit)).toEqual(new Set(CLASS_OF_USER.values()));
  });

  it('is a function of the seed: the same seed gives the same split, and other seeds draw other users', () => {
    expect(splitUsers(CLASS_OF_USER, 0.34, 7)).toEqual(splitUsers(CLASS_OF_USER, 0.34, 7));
    const drawn = new Set<string>();
    for (let seed = 0; seed < 40; seed++) for (const u of splitUsers(CLASS_OF_USER, 0.34, seed).heldOut) drawn.add(u);
    // Every user of a class of two or more is held out by some seed; the lone tough user never is.
    expect([...drawn].sort()).toEqual([...CLASS_OF_USER.keys()].filter((u) => u !== 'tough-a').sort());
  });

  it('does not reshuffle a class when another class gains a user', () => {
    const before = splitUsers(CLASS_OF_USER, 0.34, 5).heldOut.filter((u) => CLASS_OF_USER.get(u) === 'abusive');
    const more = new Map(CLASS_OF_USER).set('benign-d', 'benign');
    const after = splitUsers(more, 0.34, 5).heldOut.filter((u) => more.get(u) === 'abusive');
    expect(after).toEqual(before);
  });
});
