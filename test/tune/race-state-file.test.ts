/** tune-state.json is checked against its schema when a race resumes: a damaged field is one line naming it. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRaceState, type RaceState, writeRaceState } from '../../src/runner/tune/race-state.ts';
import { InputError } from '../../src/common/input-error.ts';
import { tempDir } from '../support/run-fixture.ts';

const STATE: RaceState = {
  formatVersion: 1,
  mode: 'race',
  configHash: 'abc',
  schedule: [2, 4],
  level: 0.999,
  tests: 12,
  roundsDone: 1,
  candidates: [{ name: 'c0', index: 0, point: { minRedirects: 1 }, status: 'racing', leftInRound: null, reason: null, repetitions: 2 }],
  history: [{ round: 1, repetitions: 2, racing: 1, running: 1, conversations: 40, eliminated: [] }],
  active: null,
  spentUsd: 0,
  stopped: null,
  finished: false,
};

function stateDir(content: string): string {
  const dir = join(tempDir(), 'run');
  mkdirSync(dir);
  writeFileSync(join(dir, 'tune-state.json'), content);
  return dir;
}

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('tune-state.json', () => {
  it('reads back what was written', () => {
    const dir = join(tempDir(), 'run');
    mkdirSync(dir);
    writeRaceState(dir, STATE);
    expect(readRaceState(dir)).toEqual(STATE);
  });

  it('names the damaged field, what it expected and what it found', () => {
    const bad = { ...STATE, candidates: [{ ...STATE.candidates[0], status: 'winning' }] };
    const message = messageOf(() => readRaceState(stateDir(JSON.stringify(bad))));
    expect(message).toContain('tune-state.json');
    expect(message).toContain('candidates.0.status: expected one of racing | infeasible | dominated');
    expect(message).toContain('winning');
  });

  it('refuses another format version before anything else', () => {
    const message = messageOf(() => readRaceState(stateDir(JSON.stringify({ ...STATE, formatVersion: 2, mode: 7 }))));
    expect(message).toMatch(/formatVersion: expected 1, found 2/);
  });
});
