import { describe, expect, it } from 'vitest';
import { matchesGlob } from '#policies/glob.ts';

describe('Globs (fnmatch, matched by a scan)', () => {
  it.each([
    ['web-api', 'web-*', true],
    ['web-api', '*-api', true],
    ['prod/web', '*/web', true],
    ['web1', 'web?', true],
    ['webx', 'web[0-9]', false],
    ['web7', 'web[0-9]', true],
    ['web7', 'web[!0-9]', false],
    ['a.dkr.ecr.us-east-1.amazonaws.com', '*.dkr.ecr.*.amazonaws.com', true],
    ['docker.io', '*.dkr.ecr.*.amazonaws.com', false],
    ['', '*', true],
    ['abc', 'abc', true],
    ['abcd', 'abc', false],
  ])('%s against %s: %s', (value, glob, expected) => {
    // Assess
    expect(matchesGlob(value, glob)).toBe(expected);
  });

  it('Behaviour on 256 KB: a many-star glob that does not match answers false, one that does answers true', () => {
    // Prepare: a value that makes `^.*a.*a.*a.*b$` backtrack polynomially in a regex engine.
    const value = 'a'.repeat(256 * 1024);
    // Assess
    expect(matchesGlob(value, '*a*a*a*a*b')).toBe(false);
    expect(matchesGlob(`${value}b`, '*a*a*a*a*b')).toBe(true);
    expect(matchesGlob(value, '*a?a*a[b]')).toBe(false);
    expect(matchesGlob(`${value}b`, '*a?a*a[b]')).toBe(true);
    expect(matchesGlob(value, '*aaaaaaab*')).toBe(false);
  });
});
