import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { ecsClient } from '@harbormaster/local-aws/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#apps/local/lambda/local-stack.ts';
import type { ConfigInput } from '#config/schema.ts';
import { compliantContainer, compliantTaskDefinition } from '#support/task-definitions.ts';

const START = new Date('2026-11-21T09:00:00Z');
const SLACK = {
  webhookUrlParameter: '/harbormaster/slack-webhook',
  minimumSeverity: 'info' as const,
};
// Shaped like a Stripe live key, assembled so that no scanner takes this file for a leak.
const SECRET = ['sk', 'live', '51Habcdefghijklmnop'].join('_');
const NETWORK = {
  awsvpcConfiguration: {
    subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
    securityGroups: ['sg-0a1b2c3d'],
    assignPublicIp: 'DISABLED' as const,
  },
};

let stack: LocalStack;
let developer: ECSClient;
afterEach(async () => {
  developer?.destroy();
  await stack?.close();
});

/** Harbormaster on the embedded endpoint, and an ECS client for a developer's calls (CloudTrail). */
const start = async (config: ConfigInput) => {
  stack = await startLocalStack({ now: START, config: { alerts: { slack: SLACK }, ...config } });
  developer = ecsClient(stack.local);
  stack.local.ecs.createCluster('prod');
  return stack;
};

const definition = (
  family: string,
  container: Parameters<typeof compliantContainer>[0] = {},
): RegisterTaskDefinitionCommandInput =>
  compliantTaskDefinition({
    family,
    containerDefinitions: [
      compliantContainer({ image: 'public.ecr.aws/nginx/nginx:1.27', ...container }),
    ],
  }) as RegisterTaskDefinitionCommandInput;

const register = async (input: RegisterTaskDefinitionCommandInput): Promise<string> => {
  const out = await developer.send(new RegisterTaskDefinitionCommand(input));
  await stack.settle();
  return out.taskDefinition?.taskDefinitionArn ?? '';
};

const snsSubjects = () => stack.local.sns.messages(stack.topicArn).map((m) => m.subject ?? '');
const enforcerResults = () =>
  stack.lambda.invocations
    .filter((i) => i.function === 'policy-enforcer')
    .map((i) => i.result?.reason ?? i.error?.message);

describe('Policy enforcer, end to end on the embedded AWS endpoint', () => {
  it('alerts on a non-compliant registration, tags it and deregisters it; the secret appears nowhere', async () => {
    // Prepare
    await start({
      policies: [
        {
          name: 'hardened',
          resource: 'ecs-task-definition',
          mode: 'enforce',
          severity: 'error',
          filters: [{ type: 'image-pinned' }, { type: 'no-plaintext-secrets' }],
          actions: [{ type: 'tag' }, { type: 'deregister' }],
        },
      ],
    });
    // Act
    const arn = await register(
      definition('web', {
        image: 'nginx:latest',
        environment: [{ name: 'PAYMENTS', value: SECRET }],
      }),
    );
    // Assess
    expect(snsSubjects()).toStrictEqual([
      '[ERROR] task definition web:1 violates policy hardened (image-pinned, no-plaintext-secrets)',
    ]);
    const described = await developer.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }),
    );
    expect(described.taskDefinition?.status).toBe('INACTIVE');
    expect(described.tags).toContainEqual({
      key: 'harbormaster:non-compliant',
      value: 'image-pinned no-plaintext-secrets',
    });
    const everythingSaid = JSON.stringify({
      sns: stack.local.sns.messages(stack.topicArn),
      slack: stack.local.slack.posts,
      logs: stack.lambda.telemetry['policy-enforcer']?.lines,
      results: stack.lambda.invocations.map((i) => i.result),
    });
    expect(everythingSaid).toContain('looks like a Stripe live key');
    expect(everythingSaid).not.toContain(SECRET);
  });

  it('does nothing about a compliant registration', async () => {
    // Prepare
    await start({
      policies: [
        {
          name: 'hardened',
          resource: 'ecs-task-definition',
          mode: 'enforce',
          filters: [{ type: 'image-pinned' }],
          actions: [{ type: 'deregister' }],
        },
      ],
    });
    // Act
    await register(definition('web'));
    // Assess
    expect(enforcerResults()).toStrictEqual(['task definition web:1 complies with hardened']);
    expect(snsSubjects()).toStrictEqual([]);
  });

  it('rolls a non-compliant deployment back to the last compliant revision through the guard\u2019s rollback, once, without looping', async () => {
    // Prepare
    await start({
      policies: [
        {
          name: 'prod-services',
          resource: 'ecs-service',
          mode: 'enforce',
          scope: { clusters: ['prod'] },
          filters: [{ type: 'image-pinned' }, { type: 'multi-az' }],
          actions: [{ type: 'rollback' }],
        },
      ],
    });
    const v1 = stack.local.ecs.registerTaskDefinition(definition('web'));
    stack.local.ecs.createService({
      cluster: 'prod',
      serviceName: 'web',
      taskDefinition: v1,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    await stack.local.clock.advance(5 * 60_000);
    const v2 = stack.local.ecs.registerTaskDefinition(definition('web', { image: 'nginx:latest' }));
    // Act
    await developer.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }),
    );
    await stack.settle();
    await stack.local.clock.advance(10 * 60_000);
    await stack.settle();
    // Assess
    const described = await developer.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }),
    );
    expect(described.services?.[0]?.taskDefinition).toBe(v1);
    // The deployment guard knows the rollback for one (its record): it reports it, never undoes it.
    expect(snsSubjects().slice(-2)).toStrictEqual([
      '[ERROR] service prod/web (web:2) violates policy prod-services (image-pinned)',
      '[INFO] prod/web rollback completed: back on web:1',
    ]);
    const updates = stack.local.calls.list('ecs', 'UpdateService');
    expect(updates).toHaveLength(2);
    // Its own UpdateService never reaches it: the rule drops the functions' sessions.
    const records = stack.lambda.invocations
      .filter((i) => i.function === 'policy-enforcer')
      .map((i) => (i.event as { detail: { eventName?: string } }).detail.eventName);
    expect(records.filter((name) => name === 'UpdateService')).toHaveLength(1);
    expect(enforcerResults()).not.toContainEqual(expect.stringMatching(/own call/));
  });

  it('stops a standalone non-compliant task with a reason naming the rule, describing its definition once', async () => {
    // Prepare
    await start({
      policies: [
        {
          name: 'jobs',
          resource: 'ecs-task',
          mode: 'enforce',
          filters: [{ type: 'non-root-user' }],
          actions: [{ type: 'stop' }],
        },
      ],
    });
    const job = stack.local.ecs.registerTaskDefinition(definition('job', { user: 'root' }));
    stack.local.calls.clear();
    // Act: two tasks of the same definition, started one after the other
    for (let i = 0; i < 2; i += 1) {
      stack.local.ecs.call('RunTask', {
        cluster: 'prod',
        taskDefinition: job,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      });
      await stack.local.clock.advance(60_000);
      await stack.settle();
    }
    await stack.local.clock.advance(5 * 60_000);
    await stack.settle();
    // Assess
    const tasks = stack.local.ecs.tasks({ cluster: 'prod', family: 'job' });
    expect(tasks.map((t) => [t.lastStatus, t.stopCode, t.stoppedReason])).toStrictEqual([
      ['STOPPED', 'UserInitiated', 'Harbormaster policy jobs (non-root-user)'],
      ['STOPPED', 'UserInitiated', 'Harbormaster policy jobs (non-root-user)'],
    ]);
    const taskEvents = stack.lambda.invocations.filter(
      (i) =>
        i.function === 'policy-enforcer' &&
        JSON.stringify(i.event).includes('ECS Task State Change'),
    );
    // Each task reaches the enforcer once, at its first event (version 1), and is stopped there;
    // the second task's event is the one that finds the definition in the cache.
    expect(
      taskEvents.map((i) => (i.event as { detail: { version: number } }).detail.version),
    ).toStrictEqual([1, 1]);
    expect(stack.local.calls.count('ecs', 'DescribeTaskDefinition')).toBe(1);
    expect(snsSubjects()).toStrictEqual([
      expect.stringMatching(
        /^\[ERROR\] task [0-9a-f]+ of job:1 in prod violates policy jobs \(non-root-user\)$/,
      ),
    ]);
  });

  it('stops the tasks of a RunTask that assigns public IPs (CloudTrail), in notify mode only alerting', async () => {
    // Prepare
    await start({
      policies: [
        {
          name: 'private-jobs',
          resource: 'ecs-task',
          mode: 'enforce',
          filters: [{ type: 'no-public-ip' }],
          actions: [{ type: 'stop' }],
        },
      ],
    });
    const job = stack.local.ecs.registerTaskDefinition(definition('job'));
    // Act
    const out = await developer.send(
      new RunTaskCommand({
        cluster: 'prod',
        taskDefinition: job,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: { ...NETWORK.awsvpcConfiguration, assignPublicIp: 'ENABLED' },
        },
      }),
    );
    await stack.settle();
    await stack.local.clock.advance(2 * 60_000);
    await stack.settle();
    // Assess
    const [task] = stack.local.ecs.tasks({ cluster: 'prod', family: 'job' });
    expect(task?.arn).toBe(out.tasks?.[0]?.taskArn);
    expect(task?.stoppedReason).toBe('Harbormaster policy private-jobs (no-public-ip)');
    expect(snsSubjects()).toStrictEqual([
      '[ERROR] RunTask of job:1 in prod violates policy private-jobs (no-public-ip)',
    ]);
  });

  it('in dry-run, alerts nothing and changes nothing, but decides', async () => {
    // Prepare
    await start({
      dryRun: true,
      policies: [
        {
          name: 'hardened',
          resource: 'ecs-task-definition',
          mode: 'enforce',
          filters: [{ type: 'image-pinned' }],
          actions: [{ type: 'deregister' }],
        },
      ],
    });
    // Act
    const arn = await register(definition('web', { image: 'nginx' }));
    // Assess
    expect(stack.local.ecs.taskDefinition(arn)?.status).toBe('ACTIVE');
    expect(snsSubjects()).toStrictEqual([]);
    expect(
      stack.lambda.invocations
        .find((i) => i.function === 'policy-enforcer')
        ?.result?.actions.map((a) => a.status),
    ).toStrictEqual(['dry-run', 'dry-run', 'dry-run']);
  });
});
