import { describe, expect, it } from 'vitest';
import { parseConfig } from '#config/parse.ts';
import { resolveDeliverySettings } from '#delivery/settings.ts';
import { ConfigError } from '#kernel/errors.ts';

const issuesOf = (input: unknown): string[] => {
  try {
    parseConfig(input, 'test');
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
};

describe('The delivery section of the configuration', () => {
  it('defaults to enforce-mode gates, the 5xx rate and healthy hosts, and no approvals', () => {
    // Act
    const { delivery } = parseConfig({}, 'test');
    // Assess
    expect(delivery).toMatchObject({
      mode: 'enforce',
      analysisGate: {
        stages: ['POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT'],
        onInconclusive: 'pass',
        dataDelaySeconds: 60,
        analyses: [
          {
            name: 'error-rate',
            metric: 'http-5xx-rate',
            interval: 60,
            count: 3,
            failureLimit: 0,
            inconclusiveLimit: 1,
            consecutiveErrorLimit: 4,
            minRequests: 50,
          },
          { name: 'healthy-hosts', metric: 'healthy-hosts' },
        ],
      },
      approvals: { stages: [], timeoutInMinutes: 1440, timeoutAction: 'ROLLBACK' },
    });
  });

  it.each([
    [
      { analyses: [{ name: 'a', metric: 'http-5xx-rate', failureCondition: 'result >> 1' }] },
      'delivery.analysisGate.analyses[0].failureCondition: expected a condition such as "result - baseline > 1": "result >> 1" has no comparison (<= >= == != < >)',
    ],
    [
      { analyses: [{ name: 'a', metric: 'custom', failureCondition: 'result > 1' }] },
      'delivery.analysisGate.analyses[0].queries: a custom analysis needs its queries',
    ],
    [
      {
        analyses: [
          {
            name: 'a',
            metric: 'custom',
            queries: [{ id: 'x', expression: 'x' }],
            result: 'y',
            failureCondition: 'result > 1',
          },
        ],
      },
      'delivery.analysisGate.analyses[0].result: no query has the id "y"',
    ],
    [
      {
        analyses: [
          { name: 'a', metric: 'http-5xx-rate' },
          { name: 'a', metric: 'p99-latency' },
        ],
      },
      'delivery.analysisGate.analyses[1].name: another analysis is named "a"',
    ],
    [
      { analyses: [{ name: 'a', metric: 'http-5xx-rate', interval: 90 }] },
      'delivery.analysisGate.analyses[0].interval: expected a multiple of 60 (CloudWatch periods)',
    ],
    [
      {
        analyses: [
          {
            name: 'a',
            metric: 'custom',
            queries: [{ id: 'Bad', expression: 'x' }],
            failureCondition: 'result > 1',
          },
        ],
      },
      'delivery.analysisGate.analyses[0].queries[0].id: expected a GetMetricData id',
    ],
  ])('names the field of a bad analysis: %j', (analysisGate, issue) => {
    // Assess
    expect(issuesOf({ delivery: { analysisGate } })).toContain(issue);
  });

  it('refuses a pause at a traffic shift stage, which ECS does not allow', () => {
    // Assess
    expect(
      issuesOf({ delivery: { approvals: { stages: ['PRODUCTION_TRAFFIC_SHIFT'] } } })[0],
    ).toMatch(
      /^delivery\.approvals\.stages\[0\]: expected one of "RECONCILE_SERVICE".*received "PRODUCTION_TRAFFIC_SHIFT"$/,
    );
  });
});

describe('A service\u2019s delivery settings', () => {
  const config = parseConfig(
    {
      delivery: {
        mode: 'notify',
        services: [
          { cluster: 'prod', service: '*', mode: 'enforce' },
          {
            cluster: 'prod',
            service: 'web',
            analysisGate: { mode: 'off' },
            approvals: { stages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] },
          },
        ],
      },
    },
    'test',
  ).delivery;

  it('applies the global layer, each matching service layer in order, then the tags', () => {
    // Act
    const web = resolveDeliverySettings(config, 'prod', 'web', {
      'harbormaster:delivery:policy-gate': 'notify',
    });
    const api = resolveDeliverySettings(config, 'prod', 'api', {});
    const staging = resolveDeliverySettings(config, 'staging', 'web', {
      'harbormaster:delivery': 'off',
    });
    // Assess
    expect([web.policyGate.mode, web.analysisGate.mode, web.approvals.stages]).toStrictEqual([
      'notify',
      'off',
      ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
    ]);
    expect([api.policyGate.mode, api.analysisGate.mode]).toStrictEqual(['enforce', 'enforce']);
    expect([staging.policyGate.mode, staging.analysisGate.mode]).toStrictEqual(['off', 'off']);
  });

  it('names a tag it cannot read and ignores it', () => {
    // Act
    const settings = resolveDeliverySettings(config, 'prod', 'api', {
      'harbormaster:delivery:analysis-gate': 'rollback',
    });
    // Assess
    expect(settings.analysisGate.mode).toBe('enforce');
    expect(settings.problems).toStrictEqual([
      'harbormaster:delivery:analysis-gate="rollback": expected enforce, notify, off',
    ]);
  });
});
