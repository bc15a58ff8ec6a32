import { describe, expect, it } from 'vitest';
import { parseConfig } from '#config/parse.ts';
import type { ConfigInput } from '#config/schema.ts';
import { policyEnforcer } from '#functions/policy-enforcer/definition.ts';
import { invoke } from '#kernel/invoke.ts';
import { createRuntime } from '#kernel/runtime.ts';
import { cacheTaskDefinitions } from '#policies/task-definition-cache.ts';
import { apiCallEvent, type Json } from '#support/events.ts';
import { fakePorts, RecordingChannel, recordingTelemetry } from '#support/fakes.ts';
import {
  registerEvent,
  revisionArn,
  taskStartEvent,
  withPolicies,
} from '#support/policy-events.ts';
import { compliantService, withContainer } from '#support/task-definitions.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const JOB_ARN = revisionArn('job', 3);
const JOB = withContainer({ privileged: true }, { family: 'job', taskDefinitionArn: JOB_ARN });
const STOP_PRIVILEGED = {
  name: 'no-privileged-jobs',
  resource: 'ecs-task',
  mode: 'enforce',
  filters: [{ type: 'not-privileged' }],
  actions: [{ type: 'stop' }],
};

/** The function on fakes, with the container's cache in front of the fake ECS. */
const harness = (input: ConfigInput, options: Parameters<typeof fakePorts>[0] = {}) => {
  let now = NOW;
  const config = parseConfig(input, 'test');
  const sns = new RecordingChannel('sns');
  const fakes = fakePorts({ channels: [sns], ...options });
  const recorded = recordingTelemetry();
  const runtime = createRuntime({
    functionName: 'harbormaster-test-policy-enforcer',
    config,
    env: {},
    telemetry: recorded.telemetry,
    now: () => now,
  });
  const ecs = cacheTaskDefinitions(fakes.ports.ecs, {
    maxEntries: config.enforcement.taskDefinitionCache.maxEntries,
    tagsTtlMs: config.enforcement.taskDefinitionCache.tagsTtlSeconds * 1000,
    now: () => now,
  });
  const ports = { ...fakes.ports, ecs };
  return {
    ...fakes,
    sns,
    lines: recorded.lines,
    cache: ecs,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
    // Each event its own (the fixtures' variants share an id, which the plan journal would drop).
    run: (event: Json) =>
      invoke(policyEnforcer, { ...event, id: crypto.randomUUID() }, runtime, ports),
  };
};

describe('Policy enforcer: load and execute', () => {
  it('costs one DescribeTaskDefinition for repeated events of a revision already seen', async () => {
    // Prepare
    const h = harness(withPolicies(STOP_PRIVILEGED), {
      taskDefinitions: { [JOB_ARN]: { definition: JOB, tags: {} } },
    });
    // Act
    for (const lastStatus of ['PROVISIONING', 'PENDING', 'RUNNING', 'RUNNING']) {
      await h.run(taskStartEvent(JOB_ARN, { lastStatus }));
    }
    // Assess
    expect(h.ecsCalls.filter((c) => c.startsWith('describeTaskDefinition'))).toStrictEqual([
      `describeTaskDefinition ${JOB_ARN}`,
    ]);
    expect(h.cache.cacheStats()).toStrictEqual({ hits: 3, misses: 1, size: 1 });
    // The task is stopped once: the later events find the stop done under its lease.
    expect(h.ecsCalls.filter((c) => c.startsWith('stopTask'))).toHaveLength(1);
    expect(h.sns.sent).toHaveLength(1);
  });

  it('re-reads a revision once its tags may have changed (an exemption added later)', async () => {
    // Prepare
    const h = harness(withPolicies(STOP_PRIVILEGED), {
      taskDefinitions: { [JOB_ARN]: { definition: JOB, tags: {} } },
    });
    // Act
    await h.run(taskStartEvent(JOB_ARN));
    h.advance(301_000);
    await h.run(taskStartEvent(JOB_ARN));
    // Assess
    expect(h.ecsCalls.filter((c) => c.startsWith('describeTaskDefinition'))).toHaveLength(2);
  });

  it('reads nothing for a registration the record carries in full', async () => {
    // Prepare
    const h = harness(
      withPolicies({
        name: 'p',
        resource: 'ecs-task-definition',
        mode: 'enforce',
        filters: [{ type: 'image-pinned' }],
        actions: [{ type: 'tag' }],
      }),
    );
    // Act
    const result = await h.run(registerEvent(withContainer({ image: 'nginx' })));
    // Assess
    expect(h.ecsCalls).toStrictEqual([
      `tagResource ${revisionArn('web', 7)} {"harbormaster:non-compliant":"image-pinned"}`,
    ]);
    expect(result.actions.map((a) => [a.type, a.status])).toStrictEqual([
      ['report-findings', 'done'],
      ['tag', 'done'],
      ['notify', 'done'],
    ]);
  });

  it('describes the revision when CloudTrail truncated the record', async () => {
    // Prepare
    const arn = revisionArn('web', 7);
    const h = harness(
      withPolicies({
        name: 'p',
        resource: 'ecs-task-definition',
        filters: [{ type: 'image-pinned' }],
      }),
      { taskDefinitions: { [arn]: { definition: withContainer({ image: 'nginx' }), tags: {} } } },
    );
    const event = apiCallEvent(
      'RegisterTaskDefinition',
      { omitted: true },
      { taskDefinition: { taskDefinitionArn: arn, revision: 7, omitted: true } },
    );
    // Act
    const result = await h.run(event);
    // Assess
    expect(h.ecsCalls).toStrictEqual([`describeTaskDefinition ${arn}`]);
    expect(result.outcome).toBe('acted');
  });

  it('reads the service and the revisions it ran before, then rolls back once through the guard\u2019s rollback record', async () => {
    // Prepare
    const v6 = revisionArn('web', 6);
    const v7 = revisionArn('web', 7);
    const service = compliantService({
      taskDefinition: v7,
      tags: [{ key: 'team', value: 'web' }],
      deployments: [
        {
          id: 'ecs-svc/2',
          status: 'PRIMARY',
          taskDefinition: v7,
          createdAt: '2026-11-21T11:00:00Z',
        },
        {
          id: 'ecs-svc/1',
          status: 'ACTIVE',
          taskDefinition: v6,
          createdAt: '2026-11-20T11:00:00Z',
        },
      ],
    });
    const h = harness(
      withPolicies({
        name: 'p',
        resource: 'ecs-service',
        mode: 'enforce',
        scope: { tags: { team: 'web' } },
        filters: [{ type: 'image-pinned' }],
        actions: [{ type: 'rollback' }],
      }),
      {
        taskDefinitions: {
          [v6]: { definition: withContainer({}), tags: {} },
          [v7]: { definition: withContainer({ image: 'nginx:latest' }), tags: {} },
        },
        serviceConfigurations: [service],
        services: [
          {
            serviceArn: String(service.serviceArn),
            serviceName: 'web',
            clusterArn: String(service.clusterArn),
            status: 'ACTIVE',
            taskDefinition: v7,
            desiredCount: 3,
            runningCount: 3,
            launchType: 'FARGATE',
            deploymentController: 'ECS',
            strategy: undefined,
            circuitBreaker: undefined,
            alarms: undefined,
            deployments: [],
            tags: {},
          },
        ],
      },
    );
    const event = apiCallEvent(
      'UpdateService',
      { cluster: 'prod', service: 'web', taskDefinition: 'web:7' },
      { service: { ...service, tags: undefined } as Json },
    );
    // Act
    await h.run(event);
    await h.run(event);
    // Assess
    expect(h.ecsCalls).toStrictEqual([
      'describeServiceConfiguration prod/web',
      `describeTaskDefinition ${v7}`,
      `describeTaskDefinition ${v6}`,
      `updateService prod/web ${v6}`,
      'describeServiceConfiguration prod/web',
    ]);
    expect(h.guardStore.rollbacks).toStrictEqual([
      expect.objectContaining({
        fromDeploymentId: 'ecs-svc/2',
        fromTaskDefinition: v7,
        toTaskDefinition: v6,
        trigger: 'policy',
      }),
    ]);
  });

  it('in dry-run, decides the same and carries nothing out', async () => {
    // Prepare
    const h = harness(
      { ...withPolicies(STOP_PRIVILEGED), dryRun: true },
      { taskDefinitions: { [JOB_ARN]: { definition: JOB, tags: {} } } },
    );
    // Act
    const result = await h.run(taskStartEvent(JOB_ARN));
    // Assess
    expect(result.actions.map((a) => [a.type, a.status])).toStrictEqual([
      ['report-findings', 'dry-run'],
      ['stop', 'dry-run'],
      ['notify', 'dry-run'],
    ]);
    expect(result.actions[1]?.detail).toBe(
      'would stop task a1173316d40a45dea9 in example-cluster (Harbormaster policy no-privileged-jobs (not-privileged))',
    );
    expect(h.ecsCalls).toStrictEqual([`describeTaskDefinition ${JOB_ARN}`]);
    expect(h.sns.sent).toStrictEqual([]);
  });

  it('logs findings in audit mode without the values of secrets', async () => {
    // Prepare
    const secret = ['ghp', 'A1b2'.repeat(10)].join('_');
    const arn = revisionArn('web', 7);
    const h = harness(
      withPolicies({
        name: 'secrets',
        resource: 'ecs-task-definition',
        mode: 'audit',
        filters: [{ type: 'no-plaintext-secrets' }],
      }),
    );
    // Act
    await h.run(
      registerEvent(withContainer({ environment: [{ name: 'GH', value: secret }] }), {
        revision: 7,
      }),
    );
    // Assess
    const logged = JSON.stringify(h.lines);
    expect(logged).toContain('looks like a GitHub token');
    expect(logged).toContain(arn.split('/').pop() ?? 'x');
    expect(logged).not.toContain(secret);
    expect(h.sns.sent).toStrictEqual([]);
  });
});
