import { describe, expect, it } from 'vitest';
import { fileKind, fileStem, isYamlFile } from '../../src/config/file-kind.ts';

describe('fileKind', () => {
  it('takes the kind from the folder a file is in', () => {
    expect(fileKind('experiments/scenarios/benign-recipe.yaml')).toBe('scenario');
    expect(fileKind('experiments/personas/civil-disagreer.yaml')).toBe('persona');
    expect(fileKind('/abs/study/policies/eager.yml')).toBe('policy');
    expect(fileKind('models/balanced.yaml')).toBe('model');
    expect(fileKind('experiments/llm-users/grumpy-commuter.yaml')).toBe('llm-user');
  });

  it('takes anything else for an experiment', () => {
    expect(fileKind('experiments/quickstart.yaml')).toBe('experiment');
    expect(fileKind('quickstart.yaml')).toBe('experiment');
    expect(fileKind('experiments/scenarios-old/x.yaml')).toBe('experiment');
  });
});

describe('fileStem and isYamlFile', () => {
  it('strip the extension and recognise both YAML extensions', () => {
    expect(fileStem('experiments/policies/last-resort.yaml')).toBe('last-resort');
    expect(fileStem('a/b.yml')).toBe('b');
    expect([isYamlFile('a.yaml'), isYamlFile('a.yml'), isYamlFile('a.json'), isYamlFile('README.md')]).toEqual([true, true, false, false]);
  });
});
