import { describe, expect, it } from 'vitest';
import { conditionOf, holds, parseCondition } from '#delivery/analysis/conditions.ts';
import { advance, measure, resolveAnalysis, statusOf } from '#delivery/analysis/measure.ts';
import type { Measurement } from '#delivery/analysis/model.ts';
import { deliveryConfig } from '#support/delivery.ts';

const analysis = (input: Record<string, unknown>) => {
  const config = deliveryConfig({
    delivery: { analysisGate: { analyses: [{ name: 'a', metric: 'http-5xx-rate', ...input }] } },
  } as never);
  return resolveAnalysis(config.delivery.analysisGate.analyses[0] as never);
};

const m = (phase: Measurement['phase']): Measurement => ({
  at: phase === 'error' ? undefined : '2026-11-21T09:00:00.000Z',
  phase,
  value: 1,
  baseline: undefined,
  requests: 100,
  baselineRequests: undefined,
  note: undefined,
});

describe('Analysis conditions', () => {
  it.each([
    ['result > 1', 2, undefined, true],
    ['result > 1', 1, undefined, false],
    ['result - baseline > 1', 3.5, 2, true],
    ['result - baseline > 1', 2.5, 2, false],
    ['result - baseline > 1', 9, undefined, undefined],
    ['result / baseline >= 1.5', 0.3, 0.2, true],
    ['result / baseline >= 1.5', 0.1, 0, true],
    ['result / baseline >= 1.5', 0, 0, undefined],
    ['result / baseline > 1.5 and result - baseline > 0.1', 0.02, 0.01, false],
    ['result / baseline > 1.5 and result - baseline > 0.1', 0.5, 0.2, true],
    // A false conjunct decides even when another one lacks the baseline.
    ['result > 5 and result - baseline > 1', 2, undefined, false],
    ['result < 1 or result > 10', 11, undefined, true],
    ['result < 1 or result - baseline > 10', 5, undefined, undefined],
  ])('%s with result %s and baseline %s holds: %s', (text, result, baseline, expected) => {
    // Assess
    expect(holds(conditionOf(text), result, baseline)).toBe(expected);
  });

  it.each([
    ['result ~ 1', 'has no comparison'],
    ['latency > 1', '"latency" is not one of'],
    ['result > one', '"one" is not a number'],
    [`${'result > 1 and '.repeat(8)}result > 1`, 'more than 8 comparisons'],
  ])('refuses "%s" and says why', (text, why) => {
    // Assess
    expect(parseCondition(text)).toStrictEqual(expect.stringContaining(why));
  });

  it('knows whether a condition needs blue', () => {
    // Assess
    expect(conditionOf('result > 1').usesBaseline).toBe(false);
    expect(conditionOf('result > 1 or baseline < 2').usesBaseline).toBe(true);
  });
});

describe('Analysis measurements (Argo Rollouts semantics)', () => {
  const at = '2026-11-21T09:00:00.000Z';

  it('fails a 5xx rate one point above blue by default, and passes the same level as blue', () => {
    // Prepare
    const rate = analysis({});
    // Act
    const failed = measure(rate, at, { value: 7.3, requests: 412 }, { value: 0.4, requests: 3901 });
    const level = measure(rate, at, { value: 2.1, requests: 412 }, { value: 2.0, requests: 3901 });
    // Assess
    expect(failed).toMatchObject({ phase: 'failed', value: 7.3, baseline: 0.4, requests: 412 });
    expect(level.phase).toBe('successful');
  });

  it('is inconclusive below the minimum request count, not a pass (the low-traffic trap)', () => {
    // Act
    const quiet = measure(
      analysis({ minRequests: 50 }),
      at,
      { value: 0, requests: 12 },
      { value: 0, requests: 900 },
    );
    // Assess
    expect(quiet).toMatchObject({
      phase: 'inconclusive',
      note: '12 requests, fewer than the 50 a measurement needs',
    });
  });

  it('is inconclusive when blue had too little traffic to compare with', () => {
    // Act
    const result = measure(
      analysis({}),
      at,
      { value: 3, requests: 400 },
      { value: 0, requests: 4 },
    );
    // Assess
    expect(result).toMatchObject({
      phase: 'inconclusive',
      note: expect.stringContaining('no baseline'),
    });
  });

  it('judges on the absolute level without a baseline', () => {
    // Act
    const result = measure(
      analysis({ baseline: false }),
      at,
      { value: 3, requests: 400 },
      undefined,
    );
    // Assess
    expect(result.phase).toBe('failed');
  });

  it('follows Argo when both conditions are given: neither holding is inconclusive', () => {
    // Prepare
    const both = analysis({
      baseline: false,
      successCondition: 'result < 1',
      failureCondition: 'result > 5',
    });
    // Assess
    expect(measure(both, at, { value: 0.5, requests: 100 }, undefined).phase).toBe('successful');
    expect(measure(both, at, { value: 6, requests: 100 }, undefined).phase).toBe('failed');
    expect(measure(both, at, { value: 3, requests: 100 }, undefined).phase).toBe('inconclusive');
  });

  it('fails a success condition that does not hold when it is the only one', () => {
    // Prepare
    const only = analysis({ baseline: false, successCondition: 'result < 1' });
    // Assess
    expect(measure(only, at, { value: 3, requests: 100 }, undefined).phase).toBe('failed');
  });

  it.each([
    [
      'failed once failures exceed the failure limit',
      { failureLimit: 1 },
      ['failed', 'successful', 'failed'],
      'failed',
    ],
    [
      'running while the count is not reached',
      { count: 3 },
      ['successful', 'successful'],
      'running',
    ],
    [
      'successful at the count within the limits',
      { count: 3, inconclusiveLimit: 1 },
      ['successful', 'inconclusive', 'successful'],
      'successful',
    ],
    [
      'inconclusive beyond the inconclusive limit',
      { inconclusiveLimit: 1 },
      ['inconclusive', 'inconclusive'],
      'inconclusive',
    ],
    [
      'an error beyond the consecutive error limit',
      { consecutiveErrorLimit: 2 },
      ['error', 'error', 'error'],
      'error',
    ],
  ] as const)('is %s', (_label, limits, phases, expected) => {
    // Prepare
    const a = analysis(limits);
    // Act
    const progress = advance(
      a,
      { name: 'a', measurements: [], consecutiveErrors: 0, status: 'running' },
      phases.map(m),
    );
    // Assess
    expect(progress.status).toBe(expected);
  });

  it('counts errors only in a row and never as measurements', () => {
    // Prepare
    const a = analysis({ count: 2, consecutiveErrorLimit: 1 });
    // Act
    const progress = advance(
      a,
      { name: 'a', measurements: [], consecutiveErrors: 0, status: 'running' },
      [m('error'), m('successful'), m('error'), m('successful')],
    );
    // Assess
    expect(progress).toMatchObject({ status: 'successful', consecutiveErrors: 0 });
    expect(statusOf(a, progress.measurements, 2)).toBe('error');
  });

  it('stops taking measurements once the analysis ended', () => {
    // Prepare
    const a = analysis({ count: 5 });
    // Act
    const progress = advance(
      a,
      { name: 'a', measurements: [], consecutiveErrors: 0, status: 'running' },
      [m('failed'), m('successful')],
    );
    // Assess
    expect(progress.measurements).toHaveLength(1);
    expect(progress.status).toBe('failed');
  });
});
