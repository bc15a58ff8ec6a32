import { describe, expect, it } from 'vitest';
import type { ServiceDocument } from '#aws/ecs/service-document.ts';
import { apiCallEvent, type Json } from '#support/events.ts';
import { alertOf, decide, NOW, revision, types } from '#support/policy-decide.ts';
import { revisionArn, taskStartEvent, withPolicies } from '#support/policy-events.ts';
import {
  compliantService,
  compliantTaskDefinition,
  withContainer,
} from '#support/task-definitions.ts';

describe('Function: decidePolicies at CreateService and UpdateService', () => {
  const SERVICE_POLICY = {
    name: 'prod-services',
    resource: 'ecs-service',
    mode: 'enforce',
    filters: [{ type: 'image-pinned' }, { type: 'no-public-ip' }],
    actions: [{ type: 'rollback' }],
  };
  const v6 = revision(revisionArn('web', 6), compliantTaskDefinition());
  const v5 = revision(revisionArn('web', 5), withContainer({ image: 'nginx:latest' }));
  const v7 = revision(revisionArn('web', 7), withContainer({ image: 'nginx:latest' }));
  const deployed = (overrides: Partial<ServiceDocument> = {}) =>
    compliantService({
      taskDefinition: v7.arn,
      deployments: [
        { id: 'ecs-svc/222', status: 'PRIMARY', taskDefinition: v7.arn },
        { id: 'ecs-svc/111', status: 'ACTIVE', taskDefinition: v6.arn },
      ],
      ...overrides,
    });
  const update = (service: ServiceDocument) =>
    apiCallEvent(
      'UpdateService',
      { cluster: 'prod', service: 'web', taskDefinition: 'web:7' },
      { service: service as Json },
    );

  it('rolls back to the newest earlier revision that complies, in the deployment\u2019s thread', () => {
    // Act
    const service = deployed();
    const decision = decide(update(service), withPolicies(SERVICE_POLICY), {
      revision: v7,
      service,
      rollbackCandidates: [v6, v5],
    });
    // Assess
    expect(decision.actions.at(-2)).toStrictEqual({
      type: 'rollback',
      cluster: 'prod',
      service: 'web',
      taskDefinition: v6.arn,
      record: {
        cluster: 'prod',
        service: 'web',
        fromDeploymentId: 'ecs-svc/222',
        fromTaskDefinition: v7.arn,
        toTaskDefinition: v6.arn,
        trigger: 'policy',
        at: NOW.toISOString(),
        rollbackDeploymentId: undefined,
      },
    });
    expect(alertOf(decision.actions)).toMatchObject({
      checkpoint: 'deploy',
      resource: 'service prod/web (web:7)',
      enforcement: ['roll the service back to web:6'],
      threadId: 'ecs-prod-web-222',
      subject: { cluster: 'prod', service: 'web', deploymentId: 'ecs-svc/222' },
    });
  });

  it('does not roll back when a late event finds the service already deployed with another revision', () => {
    // Act
    const service = deployed();
    const decision = decide(update(service), withPolicies(SERVICE_POLICY), {
      revision: v7,
      service,
      runningTaskDefinition: revisionArn('web', 8),
      rollbackCandidates: [v6],
    });
    // Assess
    expect(types(decision.actions)).toStrictEqual(['report-findings', 'notify']);
    expect(alertOf(decision.actions)?.enforcement).toStrictEqual([
      'no rollback: the service runs web:8 now (deployed since)',
    ]);
  });

  it('does not roll back when ECS reported no deployment to roll back', () => {
    // Act
    const service = deployed({ deployments: [] });
    const decision = decide(update(service), withPolicies(SERVICE_POLICY), {
      revision: v7,
      service,
      rollbackCandidates: [v6],
    });
    // Assess
    expect(types(decision.actions)).toStrictEqual(['report-findings', 'notify']);
    expect(alertOf(decision.actions)?.enforcement).toStrictEqual([
      'no rollback: ECS did not report the deployment to roll back',
    ]);
  });

  it('skips inactive and non-compliant candidates; with none left it only alerts, saying why', () => {
    // Act
    const service = deployed();
    const decision = decide(update(service), withPolicies(SERVICE_POLICY), {
      revision: v7,
      service,
      rollbackCandidates: [{ ...v6, status: 'INACTIVE' }, v5],
    });
    // Assess
    expect(types(decision.actions)).toStrictEqual(['report-findings', 'notify']);
    expect(alertOf(decision.actions)?.enforcement).toStrictEqual([
      'no rollback: the service ran no earlier revision that complies',
    ]);
  });

  it('does not roll back when only the service\u2019s settings fail (a public IP)', () => {
    // Act
    const service = deployed({
      taskDefinition: v6.arn,
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['a', 'b'], assignPublicIp: 'ENABLED' },
      },
    });
    const decision = decide(update(service), withPolicies(SERVICE_POLICY), {
      revision: v6,
      service,
      rollbackCandidates: [v5],
    });
    // Assess
    expect(types(decision.actions)).toStrictEqual(['report-findings', 'notify']);
    expect(alertOf(decision.actions)?.findings.map((f) => f.rule)).toStrictEqual(['no-public-ip']);
    expect(alertOf(decision.actions)?.enforcement[0]).toMatch(
      /settings, which a rollback does not change/,
    );
  });

  it('counts Harbormaster\u2019s deployment guard as a guard, unless its configuration or tag turns it off', () => {
    // Prepare
    const GUARD_POLICY = {
      name: 'guarded',
      resource: 'ecs-service',
      mode: 'notify',
      filters: [{ type: 'deployment-guard' }],
    };
    const service = deployed({ taskDefinition: v6.arn, deploymentConfiguration: {} });
    const decideWith = (input: object, serviceTags: Record<string, string> = {}) =>
      decide(
        update(service),
        { ...withPolicies(GUARD_POLICY), ...input },
        {
          revision: v6,
          service,
          serviceTags,
        },
      );
    // Act
    const guarded = decideWith({});
    const taggedOff = decideWith({}, { 'harbormaster:guard': 'off' });
    const notifyOnly = decideWith({ deploymentGuard: { mode: 'notify' } });
    // Assess
    expect(guarded).toMatchObject({ actions: [], reason: expect.stringMatching(/complies/) });
    expect(alertOf(taggedOff.actions)?.findings.map((f) => f.message)).toStrictEqual([
      "service prod/web deploys unguarded: neither the circuit breaker nor deployment alarms are enabled, and Harbormaster's guard is set to off",
    ]);
    expect(alertOf(notifyOnly.actions)?.findings.map((f) => f.rule)).toStrictEqual([
      'deployment-guard',
    ]);
  });

  it('alerts on a non-compliant CreateService: a new service has nothing to roll back to', () => {
    // Prepare
    const service = deployed({
      deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: v7.arn }],
    });
    const event = apiCallEvent(
      'CreateService',
      { cluster: 'prod', serviceName: 'web', taskDefinition: 'web:7' },
      { service: service as Json },
    );
    // Act
    const decision = decide(event, withPolicies(SERVICE_POLICY), { revision: v7, service });
    // Assess
    expect(types(decision.actions)).toStrictEqual(['report-findings', 'notify']);
    expect(alertOf(decision.actions)?.enforcement).toStrictEqual([
      'no rollback: a new service has no earlier revision',
    ]);
  });
});

describe('Function: decidePolicies when tasks start', () => {
  const JOB = revision(
    revisionArn('job', 3),
    withContainer({ privileged: true }, { family: 'job' }),
  );
  const TASK_POLICY = {
    name: 'no-privileged-jobs',
    resource: 'ecs-task',
    mode: 'enforce',
    filters: [{ type: 'not-privileged' }],
    actions: [{ type: 'stop' }],
  };

  it('stops a standalone non-compliant task with a reason naming the policy and the rule', () => {
    // Act
    const decision = decide(taskStartEvent(JOB.arn), withPolicies(TASK_POLICY), { revision: JOB });
    // Assess
    expect(decision.actions.at(-2)).toStrictEqual({
      type: 'stop',
      cluster: 'example-cluster',
      taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/example-cluster/a1173316d40a45dea9',
      reason: 'Harbormaster policy no-privileged-jobs (not-privileged)',
    });
    expect(alertOf(decision.actions)?.enforcement).toStrictEqual(['stop the task']);
  });

  it.each([
    ['a service task', { group: 'service:web' }, /a task of service web/],
    [
      'a task of a service deployment',
      { group: 'family:job', startedBy: 'ecs-svc/123' },
      /deployment ecs-svc\/123/,
    ],
    ['a task being stopped', { desiredStatus: 'STOPPED' }, /not starting/],
    [
      "a task's later start event (checked at its first)",
      { lastStatus: 'RUNNING', version: 3 },
      /not the task's first event \(version 3\)/,
    ],
  ])('ignores %s', (_label, changes, reason) => {
    // Act
    const decision = decide(taskStartEvent(JOB.arn, changes), withPolicies(TASK_POLICY), {
      revision: JOB,
    });
    // Assess
    expect(decision.reason).toMatch(reason);
    expect(decision.actions).toStrictEqual([]);
  });

  it('checks a task whose first event is already RUNNING (a state skipped is no task lost)', () => {
    // Act
    const decision = decide(
      taskStartEvent(JOB.arn, { lastStatus: 'RUNNING', version: 1 }),
      withPolicies(TASK_POLICY),
      { revision: JOB },
    );
    // Assess
    expect(types(decision.actions)).toContain('stop');
  });

  it('stops every task of a RunTask that assigns public IPs', () => {
    // Prepare
    const event = apiCallEvent(
      'RunTask',
      {
        cluster: 'batch',
        taskDefinition: 'job',
        count: 2,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: ['a'], assignPublicIp: 'ENABLED' },
        },
      },
      {
        tasks: [
          {
            taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/batch/t1',
            taskDefinitionArn: JOB.arn,
          },
          {
            taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/batch/t2',
            taskDefinitionArn: JOB.arn,
          },
        ],
        failures: [],
      },
    );
    const policy = { ...TASK_POLICY, name: 'private-jobs', filters: [{ type: 'no-public-ip' }] };
    // Act
    const decision = decide(event, withPolicies(policy), { revision: JOB });
    // Assess
    expect(
      decision.actions.filter((a) => a.type === 'stop').map((a) => a.type === 'stop' && a.taskArn),
    ).toStrictEqual([
      'arn:aws:ecs:us-east-1:123456789012:task/batch/t1',
      'arn:aws:ecs:us-east-1:123456789012:task/batch/t2',
    ]);
    expect(alertOf(decision.actions)?.resource).toBe('RunTask of job:3 in batch');
  });
});
