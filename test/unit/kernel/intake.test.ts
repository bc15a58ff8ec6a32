import { describe, expect, it } from 'vitest';
import { parseConfig } from '#config/parse.ts';
import { deploymentGuard } from '#functions/deployment-guard/definition.ts';
import { serviceAlerts } from '#functions/service-alerts/definition.ts';
import type { AnyFunctionDefinition } from '#kernel/function-definition.ts';
import { invoke } from '#kernel/invoke.ts';
import { createRuntime } from '#kernel/runtime.ts';
import { familyInScope, matchesIamPattern, outOfScope, partitionOf } from '#kernel/scope.ts';
import { fixture, type Json, withDetail } from '#support/events.ts';
import { fakePorts, RecordingChannel, recordingTelemetry } from '#support/fakes.ts';

// A plaintext secret someone put in a container override (not a real credential).
const SECRET = 'hunter2-db-password-0123456789';

/** Invokes a function (service-alerts unless told) with a configuration and an environment. */
const run = async (
  raw: unknown,
  options: { config?: Json; env?: Record<string, string>; definition?: AnyFunctionDefinition } = {},
) => {
  const sns = new RecordingChannel('sns');
  const fakes = fakePorts({ channels: [sns] });
  const recorded = recordingTelemetry();
  const runtime = createRuntime({
    functionName: 'harbormaster-prod-service-alerts',
    config: parseConfig(options.config ?? {}, 'test'),
    env: options.env ?? {},
    telemetry: recorded.telemetry,
  });
  const result = await invoke(options.definition ?? serviceAlerts, raw, runtime, fakes.ports);
  return { result, sns, ...recorded };
};

describe('Invalid events in the logs', () => {
  it('name the field and the problem without the 1.5 MB value', async () => {
    // Prepare
    const huge = `${'x'.repeat(1_500_000)}`;
    // Act
    const { result, lines, counts } = await run({
      ...fixture('service-action-placement-failure-ec2-cpu-docs'),
      id: huge,
    });
    // Assess
    expect(result.outcome).toBe('invalid');
    expect(counts.InvalidEvents).toBe(1);
    const logged = JSON.stringify(lines);
    expect(logged.length).toBeLessThan(2_000);
    expect(lines[0]?.extra).toStrictEqual({
      issues: [
        {
          path: 'id',
          message: 'too long: expected <=256, received a string of 1,500,000 characters',
        },
      ],
    });
  });

  it('never repeat a plaintext secret, however many fields it makes invalid', async () => {
    // Prepare: the secret where numbers, names and choices are expected, in sixteen containers
    const containers = Array.from({ length: 16 }, () => ({
      name: SECRET,
      exitCode: SECRET,
      lastStatus: { value: SECRET },
    }));
    const event = withDetail('task-stopped-fargate-service-scalein-exit137-arkime', {
      containers,
      lastStatus: [SECRET],
    });
    // The guard takes task events: the detail is validated (another function refuses the kind first).
    const { result, lines } = await run(event, { definition: deploymentGuard });
    // Assess
    expect(result.outcome).toBe('invalid');
    expect(JSON.stringify(lines)).not.toContain(SECRET);
    expect(result.reason).not.toContain(SECRET);
    expect(JSON.stringify(lines)).toContain('detail.containers[0].exitCode');
  });

  it('say an unsupported detail-type or service ARN is wrong without quoting it', async () => {
    // Act
    const typed = await run({ ...fixture('deployment-completed-docs'), 'detail-type': SECRET });
    const arn = await run({
      ...fixture('service-action-placement-failure-ec2-cpu-docs'),
      resources: [`arn:aws:s3:::${SECRET}`],
    });
    // Assess
    for (const { result, lines } of [typed, arn]) {
      expect(result.outcome).toBe('invalid');
      expect(`${result.reason} ${JSON.stringify(lines)}`).not.toContain(SECRET);
    }
    expect(arn.result.reason).toContain(
      'resources[0]: expected an ECS service ARN, received a string of',
    );
  });
});

describe('Events from outside the scope', () => {
  const OWN = { HARBORMASTER_ACCOUNT_ID: '111122223333', AWS_REGION: 'us-west-2' };
  const event = fixture('service-action-placement-failure-ec2-cpu-docs'); // 111122223333, us-west-2

  it('are acted on from the stack\u2019s own account and region', async () => {
    // Act
    const { result, counts } = await run(event, { env: OWN });
    // Assess
    expect(result.outcome).toBe('acted');
    expect(counts.EventsOutOfScope).toBeUndefined();
  });

  it.each([
    ['another account', { ...event, account: '444455556666' }, 'scope.accounts', '444455556666'],
    ['another region', { ...event, region: 'eu-west-1' }, 'scope.regions', 'eu-west-1'],
  ])(
    'are dropped from %s, with a metric and a log line naming the field',
    async (_l, raw, field, value) => {
      // Act
      const { result, counts, lines, sns } = await run(raw, { env: OWN });
      // Assess
      expect(result).toStrictEqual({
        outcome: 'ignored',
        reason: `${value} is not in ${field}`,
        actions: [],
      });
      expect(counts.EventsOutOfScope).toBe(1);
      expect(lines.find((l) => l.level === 'warn')).toMatchObject({
        message: 'Event outside the configured scope dropped',
        extra: { field, value },
      });
      expect(sns.sent).toStrictEqual([]);
    },
  );

  it('are dropped from another partition when the stack runs in aws-cn', async () => {
    // Act
    const { result } = await run(event, {
      env: { HARBORMASTER_ACCOUNT_ID: '111122223333', AWS_REGION: 'cn-north-1' },
      config: { scope: { regions: ['*'] } },
    });
    // Assess
    expect(result.reason).toBe('aws is not in scope.partitions');
  });

  it('are acted on when the scope lists their account and region, or any', async () => {
    // Act
    const listed = await run(
      { ...event, account: '444455556666', region: 'eu-west-1' },
      { env: OWN, config: { scope: { accounts: ['self', '444455556666'], regions: ['*'] } } },
    );
    // Assess
    expect(listed.result.outcome).toBe('acted');
  });

  it('refuse an invalid scope at validation, naming the field', () => {
    // Assess
    expect(() => parseConfig({ scope: { accounts: ['12345'] } }, 'test')).toThrow(
      /scope\.accounts\[0\]: expected a 12-digit account id, "self" or "\*"/,
    );
    expect(() => parseConfig({ scope: { regions: [] } }, 'test')).toThrow(/scope\.regions/);
  });
});

describe('Functions: partitionOf, matchesIamPattern, familyInScope, outOfScope', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['eusc-de-east-1', 'aws-eusc'],
  ])('puts %s in the %s partition', (region, partition) => {
    // Assess
    expect(partitionOf(region)).toBe(partition);
  });

  it('matches IAM wildcards as IAM does, on long names without backtracking blow-ups', () => {
    // Assess
    expect(matchesIamPattern('checkout-api', 'checkout-*')).toBe(true);
    expect(matchesIamPattern('web1', 'web?')).toBe(true);
    expect(matchesIamPattern('web12', 'web?')).toBe(false);
    expect(matchesIamPattern('a'.repeat(255), `${'*a'.repeat(20)}b`)).toBe(false);
    expect(matchesIamPattern('', '*')).toBe(true);
    expect(matchesIamPattern('axbyb', 'a*b')).toBe(true);
    expect(matchesIamPattern('ab', 'a*b*')).toBe(true);
    expect(matchesIamPattern('web-1', 'w?b-*')).toBe(true);
    expect(matchesIamPattern('web', 'web*x')).toBe(false);
    expect(matchesIamPattern('a', 'a*a')).toBe(false);
    expect(familyInScope({ taskFamilies: ['web', 'pay*'] }, 'payments')).toBe(true);
    expect(familyInScope({ taskFamilies: ['web'] }, 'checkout')).toBe(false);
  });

  it('reads "self" as anything where the environment does not say it (tests, replays)', () => {
    // Prepare
    const scope = parseConfig({}, 'test').scope;
    // Assess
    expect(outOfScope({ account: '444455556666', region: 'eu-west-1' }, scope, {})).toBeUndefined();
  });
});
