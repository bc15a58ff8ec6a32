import { describe, expect, it } from 'vitest';
import { parseConfig } from '#config/parse.ts';
import type { Policy } from '#policies/config.ts';
import { evaluatePolicy, failingRules } from '#policies/engine.ts';
import { RULES } from '#policies/rules/index.ts';
import { inScope } from '#policies/scope.ts';
import { compliantTaskDefinition, withContainer } from '#support/task-definitions.ts';

const NOW = new Date('2026-11-21T12:00:00Z');

const policyOf = (policy: Record<string, unknown>): Policy => {
  const [parsed] = parseConfig({ policies: [{ name: 'p', ...policy }] }, 'test').policies;
  if (!parsed) throw new Error('no policy');
  return parsed;
};

const context = (tags: Record<string, string> = {}) => ({
  now: NOW,
  exemptionTag: 'harbormaster:exempt',
  tags,
});

const TD_POLICY = {
  resource: 'ecs-task-definition',
  filters: [{ type: 'image-pinned' }, { type: 'not-privileged' }, { type: 'task-role' }],
};

describe('Function: evaluatePolicy', () => {
  it('returns a finding per rule: compliant ones once, failing ones once per violation', () => {
    // Prepare
    const td = withContainer({ image: 'nginx:latest', privileged: true });
    // Act
    const result = evaluatePolicy(policyOf(TD_POLICY), { taskDefinition: td }, context());
    // Assess
    expect(result.findings.map((f) => [f.rule, f.status])).toStrictEqual([
      ['image-pinned', 'non-compliant'],
      ['not-privileged', 'non-compliant'],
      ['task-role', 'compliant'],
    ]);
    expect(failingRules(result)).toStrictEqual(['image-pinned', 'not-privileged']);
    expect(result.findings[1]).toStrictEqual({
      policy: 'p',
      rule: 'not-privileged',
      severity: 'critical',
      status: 'non-compliant',
      message: 'container app runs privileged',
      location: {
        target: 'taskDefinition',
        path: ['containerDefinitions', 0, 'privileged'],
        container: 'app',
      },
      note: undefined,
    });
  });

  it('turns a rule that throws into an error finding and still runs the other rules', () => {
    // Prepare: a rule that throws, as a bug in a rule would
    const original = RULES['task-role']?.check;
    const rule = RULES['task-role'];
    if (!rule || !original) throw new Error('rule missing');
    rule.check = () => {
      throw new TypeError('boom');
    };
    try {
      // Act
      const result = evaluatePolicy(
        policyOf(TD_POLICY),
        { taskDefinition: withContainer({ privileged: true }) },
        context(),
      );
      // Assess
      expect(result.findings.map((f) => [f.rule, f.status])).toStrictEqual([
        ['image-pinned', 'compliant'],
        ['not-privileged', 'non-compliant'],
        ['task-role', 'error'],
      ]);
      expect(result.findings[2]?.message).toBe('the rule failed to evaluate (TypeError: boom)');
      expect(result.failures).toHaveLength(2);
    } finally {
      rule.check = original;
    }
  });

  it('gives a finding its filter\u2019s severity, else its rule\u2019s', () => {
    // Act
    const result = evaluatePolicy(
      policyOf({
        resource: 'ecs-task-definition',
        severity: 'info',
        filters: [{ type: 'not-privileged', severity: 'info' }, { type: 'task-role' }],
      }),
      { taskDefinition: compliantTaskDefinition() },
      context(),
    );
    // Assess
    expect(result.findings.map((f) => f.severity)).toStrictEqual(['info', 'warning']);
  });

  describe('exemptions', () => {
    const td = withContainer({ image: 'nginx:latest', privileged: true });
    const run = (tags: Record<string, string>) =>
      evaluatePolicy(policyOf(TD_POLICY), { taskDefinition: td }, context(tags));

    it('exempts one rule until its expiry date, with the reason', () => {
      // Act
      const result = run({
        'harbormaster:exempt:image-pinned': '2026-11-21 vendor image, fix in 4.2',
      });
      // Assess
      expect(result.findings.map((f) => [f.rule, f.status, f.note])).toStrictEqual([
        [
          'image-pinned',
          'exempt',
          'exempt until 2026-11-21: vendor image, fix in 4.2 (tag harbormaster:exempt:image-pinned)',
        ],
        ['not-privileged', 'non-compliant', undefined],
        ['task-role', 'compliant', undefined],
      ]);
      expect(failingRules(result)).toStrictEqual(['not-privileged']);
    });

    it('exempts every rule of a policy, or of every policy', () => {
      // Assess
      expect(run({ 'harbormaster:exempt:p': '2027-01-01 migration' }).failures).toStrictEqual([]);
      expect(run({ 'harbormaster:exempt': '2027-01-01 legacy stack' }).failures).toStrictEqual([]);
    });

    it('ignores an expired exemption and says so', () => {
      // Act
      const result = run({ 'harbormaster:exempt': '2026-11-20 legacy' });
      // Assess
      expect(result.failures.map((f) => f.note)).toStrictEqual([
        'exemption tag harbormaster:exempt expired on 2026-11-20',
        'exemption tag harbormaster:exempt expired on 2026-11-20',
      ]);
    });

    it('ignores an exemption without an expiry date or a reason, and says so', () => {
      // Act
      const result = run({ 'harbormaster:exempt:not-privileged': 'forever' });
      // Assess
      expect(result.failures[1]).toMatchObject({
        status: 'non-compliant',
        note: 'exemption tag harbormaster:exempt:not-privileged is ignored: its value must be "YYYY-MM-DD reason"',
      });
    });

    it('prefers the rule\u2019s tag to the policy\u2019s and the blanket one', () => {
      // Act
      const result = run({
        'harbormaster:exempt:image-pinned': '2020-01-01 old',
        'harbormaster:exempt': '2030-01-01 everything',
      });
      // Assess
      expect(failingRules(result)).toStrictEqual(['image-pinned']);
    });

    it('never exempts errors', () => {
      // Prepare
      const rule = RULES['not-privileged'];
      const original = rule?.check;
      if (!rule || !original) throw new Error('rule missing');
      rule.check = () => {
        throw new Error('x');
      };
      try {
        // Assess
        expect(failingRules(run({ 'harbormaster:exempt': '2030-01-01 everything' }))).toStrictEqual(
          ['not-privileged'],
        );
      } finally {
        rule.check = original;
      }
    });
  });
});

describe('Function: inScope', () => {
  const scope = (value: Record<string, unknown>) =>
    policyOf({ resource: 'ecs-service', filters: [{ type: 'image-pinned' }], scope: value }).scope;

  it.each([
    [{}, { cluster: 'prod', service: 'web', family: 'web', tags: {} }, true],
    [{ clusters: ['prod*'] }, { cluster: 'prod-eu', tags: {} }, true],
    [{ clusters: ['prod'] }, { cluster: 'staging', tags: {} }, false],
    [{ services: ['web', 'api-*'] }, { service: 'api-v2', tags: {} }, true],
    [{ families: ['batch-*'] }, { family: 'web', tags: {} }, false],
    [{ tags: { team: 'pay*' } }, { tags: { team: 'payments' } }, true],
    [{ tags: { team: 'payments' } }, { tags: {} }, false],
    [{ clusters: ['prod'] }, { tags: {} }, true],
  ])('scope %j on %j is %s', (value, facts, expected) => {
    // Assess
    expect(inScope(scope(value), facts)).toBe(expected);
  });
});
