import { describe, expect, it } from 'vitest';
import { jsonEqual } from '#policies/json-equal.ts';

describe('jsonEqual', () => {
  it.each([
    ['web', 'web'],
    [512, 512],
    [true, true],
    [null, null],
    [[], []],
    [{}, {}],
    [
      ['a', 1],
      ['a', 1],
    ],
    [
      { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      { operatingSystemFamily: 'LINUX', cpuArchitecture: 'ARM64' },
    ],
    [
      { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
      { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
    ],
  ])('%j equals %j', (a, b) => {
    expect(jsonEqual(a, b)).toBe(true);
  });

  it.each([
    ['web', 'Web'],
    [512, '512'],
    [0, false],
    [null, {}],
    [[], {}],
    [
      ['a', 1],
      [1, 'a'],
    ],
    [['a'], ['a', 'b']],
    [{ a: 1 }, { a: 1, b: 2 }],
    [
      { a: 1, b: undefined },
      { a: 1, c: undefined },
    ],
    [{ options: { mode: 'non-blocking' } }, { options: { mode: 'blocking' } }],
  ])('%j differs from %j', (a, b) => {
    expect(jsonEqual(a, b)).toBe(false);
    expect(jsonEqual(b, a)).toBe(false);
  });
});
