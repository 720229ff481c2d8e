import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from '../../src/config/suggest.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps', () => {
    expect(editDistance('minRedirect', 'minRedirects')).toBe(1);
    expect(editDistance('plattform', 'platform')).toBe(1);
    expect(editDistance('clam', 'calm')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('closestMatch', () => {
  const keys = ['name', 'endMode', 'minRedirects', 'severityThreshold', 'distressThreshold'];

  it('suggests the key a typo was meant to be', () => {
    expect(closestMatch('minRedirect', keys)).toBe('minRedirects');
    expect(closestMatch('severityTreshold', keys)).toBe('severityThreshold');
    expect(closestMatch('endmode', keys)).toBe('endMode');
    expect(closestMatch('lastresort', ['eager', 'last-resort'])).toBe('last-resort');
  });

  it('suggests nothing when no key is close', () => {
    expect(closestMatch('colour', keys)).toBeUndefined();
    expect(closestMatch('xy', ['ab'])).toBeUndefined();
  });

  it('formats the hint for a message', () => {
    expect(didYouMean('eagre', ['eager'])).toBe('; did you mean "eager"?');
    expect(didYouMean('zzz', ['eager'])).toBe('');
  });
});
