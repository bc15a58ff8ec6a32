import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack } from '#apps/local/demo/demo-stack.ts';
import { SCENARIOS } from '#apps/local/demo/scenarios/index.ts';
import {
  albOf,
  deploymentStatus,
  greenShare,
} from '#apps/local/demo/scenarios/progressive-services.ts';
import { Timeline } from '#apps/local/demo/timeline.ts';
import type { LocalStack } from '#apps/local/lambda/local-stack.ts';
import { createJobRunStore } from '#batch/store.ts';

/**
 * Plays every `npm start` scenario, in order, on one seeded account with duplicated and reordered
 * delivery, and checks what each left behind in ECS and in the alert channels. Nothing but the
 * embedded endpoint stands in for AWS.
 */
describe('npm start scenarios: what each leaves behind in ECS and the alert channels', () => {
  let stack: LocalStack;
  let timeline: Timeline;
  let seen = { sns: 0, slack: 0 };

  beforeAll(async () => {
    stack = await startDemoStack({ chaosSeed: 7 });
    timeline = new Timeline(stack, { json: true, write: () => undefined });
    // What the seeding (the account's deployment history) published is not a scenario's.
    seen = {
      sns: stack.local.sns.messages(stack.topicArn).length,
      slack: stack.local.slack.delivered().length,
    };
  });
  afterAll(async () => stack?.close());

  /** Plays the scenario; returns the SNS subjects and Slack posts it caused. */
  const play = async (name: string) => {
    const scenario = SCENARIOS.find((s) => s.name === name);
    if (!scenario) throw new Error(`no scenario ${name}`);
    await scenario.run(stack, timeline);
    const sns = stack.local.sns.messages(stack.topicArn).slice(seen.sns);
    const slack = stack.local.slack.delivered().slice(seen.slack);
    seen = { sns: seen.sns + sns.length, slack: seen.slack + slack.length };
    return { subjects: sns.map((m) => m.subject ?? ''), slack };
  };
  const runningOn = (cluster: string, service: string) =>
    stack.local.ecs.service(cluster, service)?.taskDefinitionArn.split('/').pop();

  it('plays the scenarios in the order npm start does', () => {
    // Assess
    expect(SCENARIOS.map((s) => s.name)).toStrictEqual([
      'deployment',
      'placement-failure',
      'ecs-rollback',
      'guard-rollback',
      'policies',
      'batch',
      'canary-analysis',
      'policy-gate',
      'linear-approval',
      'quiet-analysis',
      'chat',
    ]);
  });

  it('deployment: prod/payments runs payments:2, alerted started and completed in one thread', async () => {
    // Act
    const { subjects, slack } = await play('deployment');
    // Assess
    expect(runningOn('prod', 'payments')).toBe('payments:2');
    expect(subjects).toStrictEqual([
      '[INFO] prod/payments deployment started',
      '[INFO] prod/payments deployment completed',
    ]);
    expect(slack).toHaveLength(2);
  });

  it('placement-failure: staging/worker is alerted once, however often ECS repeats the event', async () => {
    // Act
    const { subjects, slack } = await play('placement-failure');
    // Assess
    expect(subjects).toStrictEqual([
      '[ERROR] staging/worker cannot place tasks (RESOURCE:FARGATE)',
    ]);
    expect(slack).toHaveLength(1);
  });

  it('ecs-rollback: ECS\u2019s breaker rolls prod/web back to web:2; Harbormaster reports it, never fights it', async () => {
    // Act
    const { subjects } = await play('ecs-rollback');
    // Assess
    expect(runningOn('prod', 'web')).toBe('web:2');
    expect(stack.local.ecs.service('prod', 'web')?.deployments).toStrictEqual([
      expect.objectContaining({ status: 'PRIMARY', rolloutState: 'COMPLETED' }),
    ]);
    expect(subjects).toContain('[INFO] prod/web rollback completed: back on web:2');
    expect(subjects.filter((s) => s.includes('rolled back to'))).toStrictEqual([]);
  });

  it('guard-rollback: prod/payments is back on payments:2 after one rollback by the guard', async () => {
    // Prepare
    const updatesBefore = guardUpdates().length;
    // Act
    const { subjects } = await play('guard-rollback');
    // Assess
    expect(runningOn('prod', 'payments')).toBe('payments:2');
    expect(guardUpdates().slice(updatesBefore)).toStrictEqual([
      expect.objectContaining({
        service: 'payments',
        taskDefinition: expect.stringMatching(/payments:2$/),
      }),
    ]);
    expect(subjects).toContain('[ERROR] prod/payments rolled back to payments:2 (failed tasks)');
    expect(subjects.at(-1)).toBe('[INFO] prod/payments rollback completed: back on payments:2');
  });

  it('policies: checkout:1 tagged and deregistered, the root job stopped naming the rule', async () => {
    // Act
    const { subjects } = await play('policies');
    // Assess
    const checkout = stack.local.ecs.taskDefinition('checkout:1');
    expect(checkout?.status).toBe('INACTIVE');
    expect(checkout?.tags).toContainEqual({
      key: 'harbormaster:non-compliant',
      value: 'image-pinned no-plaintext-secrets',
    });
    expect(
      stack.local.ecs
        .tasks({ cluster: 'prod', family: 'nightly-report' })
        .map((t) => [t.lastStatus, t.stoppedReason]),
    ).toStrictEqual([['STOPPED', 'Harbormaster policy batch-jobs (non-root-user)']]);
    expect(subjects).toHaveLength(2);
  });

  it('batch: the run launched 10 tasks and 1 retry, is recorded succeeded, and summarised once', async () => {
    // Act
    const { subjects, slack } = await play('batch');
    // Assess
    const tasks = stack.local.ecs
      .tasks({ cluster: 'batch' })
      .filter((t) => t.startedBy?.startsWith('harbormaster/local/nightly-report/'));
    expect(tasks).toHaveLength(11);
    expect(new Set(tasks.map((t) => t.startedBy)).size).toBe(1);
    const exits = tasks.map((t) => t.containers.find((c) => c.name === 'app')?.exitCode).sort();
    expect(exits).toStrictEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]);
    const runKey = tasks[0]?.startedBy?.split('/').pop() ?? '';
    const runs = createJobRunStore(
      new DynamoDBClient({
        endpoint: stack.local.url,
        region: stack.local.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      stack.jobRunsTable,
      { namespace: 'local', retentionDays: 30 },
    );
    expect(await runs.getRun('nightly-report', runKey)).toMatchObject({
      status: 'succeeded',
      count: 10,
    });
    expect(subjects).toStrictEqual(['[INFO] Batch job nightly-report succeeded: 10 of 10 tasks']);
    expect(slack).toHaveLength(1);
  });

  it('canary-analysis: prod/storefront is back on storefront:1, traffic on blue, after one FAILED answer', async () => {
    // Act
    const { subjects } = await play('canary-analysis');
    // Assess
    expect(runningOn('prod', 'storefront')).toBe('storefront:1');
    expect(deploymentStatus(stack, 'prod', 'storefront')).toBe('ROLLBACK_SUCCESSFUL');
    expect(greenShare(stack, albOf(stack, 'storefront'))).toBe(0);
    expect(hookAnswers('FAILED')).toBe(1);
    expect(subjects.filter((s) => s.includes('analysis gate failed'))).toStrictEqual([
      '[ERROR] prod/storefront analysis gate failed: ECS rolls back (PRE_PRODUCTION_TRAFFIC_SHIFT at 10%...',
    ]);
    // The gate's FAILED rolled it back: the guard had nothing to stop.
    expect(stack.local.calls.list('ecs', 'StopServiceDeployment', 'deployment-guard')).toHaveLength(
      0,
    );
  });

  it('policy-gate: prod/search stays on search:1 and search:2 never ran a task', async () => {
    // Act
    const { subjects } = await play('policy-gate');
    // Assess
    expect(runningOn('prod', 'search')).toBe('search:1');
    expect(deploymentStatus(stack, 'prod', 'search')).toBe('ROLLBACK_SUCCESSFUL');
    expect(
      stack.local.ecs
        .tasks({ cluster: 'prod', serviceName: 'search' })
        .filter((t) => t.taskDefinitionArn.endsWith(':2')),
    ).toStrictEqual([]);
    expect(subjects).toContain(
      '[ERROR] prod/search policy gate failed: ECS rolls back (PRE_SCALE_UP)',
    );
  });

  it('linear-approval: prod/api runs api:2 after one ContinueServiceDeployment with the hook id', async () => {
    // Act
    const { subjects } = await play('linear-approval');
    // Assess
    expect(runningOn('prod', 'api')).toBe('api:2');
    expect(deploymentStatus(stack, 'prod', 'api')).toBe('SUCCESSFUL');
    expect(
      stack.local.calls.list('ecs', 'ContinueServiceDeployment').map((c) => c.input),
    ).toStrictEqual([
      {
        serviceDeploymentArn: expect.stringMatching(/:service-deployment\/prod\/api\//),
        hookId: expect.stringMatching(/^ecs-pause-/),
        action: 'CONTINUE',
      },
    ]);
    expect(subjects.filter((s) => s.includes('deployment paused'))).toHaveLength(1);
    expect(subjects.filter((s) => s.includes('PRE_PRODUCTION_TRAFFIC_SHIFT at'))).toHaveLength(3);
  });

  it('quiet-analysis: prod/reports runs reports:2, with one inconclusive warning', async () => {
    // Act
    const { subjects } = await play('quiet-analysis');
    // Assess
    expect(runningOn('prod', 'reports')).toBe('reports:2');
    expect(subjects.filter((s) => s.includes('inconclusive'))).toStrictEqual([
      '[WARNING] prod/reports analysis gate inconclusive (POST_TEST_TRAFFIC_SHIFT at 0% of production)',
    ]);
  });

  it('chat: an unsigned request refused; bob\u2019s "Roll back now" rolls prod/orders back once; alice\u2019s "Approve" continues prod/cart; each thread tells it', async () => {
    // Act
    await play('chat');
    // Assess
    const { workspace } = stack.local.slack;
    const channel = [...workspace.channels.values()].find((c) => c.name === 'orders-deploys');
    const person = (name: string) => [...workspace.users.values()].find((u) => u.name === name);
    const [alice, bob] = [person('alice'), person('bob')];
    if (!channel || !alice || !bob)
      throw new Error('the demo workspace lost its channel or people');
    const answers = stack.lambda.invocations
      .filter((i) => i.function === 'chat-actions')
      .map((i) => (i.result as unknown as { statusCode?: number } | undefined)?.statusCode)
      .filter((status) => status !== undefined);
    expect(answers).toStrictEqual([401, 200, 200]);
    expect(stack.lambda.telemetry['chat-actions']?.counts.SlackRequestsRefused).toBe(1);
    // Roll back now: one UpdateService, by chat-actions; the guard only notifies for prod/orders.
    const rollbacks = stack.local.calls
      .list('ecs', 'UpdateService', 'chat-actions')
      .map((c) => c.input as { service: string; taskDefinition: string });
    expect(rollbacks).toStrictEqual([
      expect.objectContaining({
        service: 'orders',
        taskDefinition: expect.stringMatching(/orders:1$/),
      }),
    ]);
    expect(guardUpdates().filter((u) => u.service === 'orders')).toStrictEqual([]);
    expect(runningOn('prod', 'orders')).toBe('orders:1');
    // Approve: one ContinueServiceDeployment with the deployment ARN and the hook id.
    expect(
      stack.local.calls
        .list('ecs', 'ContinueServiceDeployment', 'chat-actions')
        .map((c) => c.input),
    ).toStrictEqual([
      {
        serviceDeploymentArn: expect.stringMatching(/:service-deployment\/prod\/cart\//),
        hookId: expect.stringMatching(/^ecs-pause-/),
        action: 'CONTINUE',
      },
    ]);
    expect(deploymentStatus(stack, 'prod', 'cart')).toBe('SUCCESSFUL');
    expect(runningOn('prod', 'cart')).toBe('cart:2');
    // One thread per deployment: orders' creation and orders:2; cart's creation and cart:2.
    const parents = stack.local.slack.history(channel.id);
    expect(parents).toHaveLength(4);
    const header = (m: { blocks?: unknown[] }) =>
      (m.blocks?.[0] as { text?: { text?: string } } | undefined)?.text?.text;
    const buttons = (m: { blocks?: unknown[] }) =>
      JSON.stringify(m.blocks).match(/harbormaster\.\w+/g);
    const failing = stack.local.slack.thread(channel.id, parents[1]?.ts ?? '');
    const rolledBack = `Rolled back to orders:1 by <@${bob.id}> at`;
    expect(header(failing.parent)).toBe(
      ':information_source: prod/orders rollback completed: back on orders:1',
    );
    expect(JSON.stringify(failing.parent.blocks)).toContain(rolledBack);
    expect(buttons(failing.parent)).toBeNull();
    expect(failing.replies.map((r) => header(r) ?? r.text)).toStrictEqual([
      ':information_source: prod/orders deployment started',
      ':warning: prod/orders deployment failing: 1 task failed',
      ':red_circle: prod/orders would roll back to orders:1 (failed tasks, notify only)',
      expect.stringContaining(rolledBack),
      ':information_source: prod/orders rollback completed: back on orders:1',
    ]);
    const paused = stack.local.slack.thread(channel.id, parents[3]?.ts ?? '');
    const approved = `Approved by <@${alice.id}> at`;
    expect(header(paused.parent)).toBe(':information_source: prod/cart deployment completed');
    expect(JSON.stringify(paused.parent.blocks)).toContain(approved);
    expect(buttons(paused.parent)).toBeNull();
    const versions = paused.parent.versions.map((v) => JSON.stringify(v.blocks));
    expect(versions.some((v) => v.includes('harbormaster.approve'))).toBe(true);
    const replies = paused.replies.map((r) => JSON.stringify(r.blocks ?? r.text));
    expect(replies.filter((r) => r.includes('deployment paused: approval needed'))).toHaveLength(1);
    expect(replies.filter((r) => r.includes(approved))).toHaveLength(1);
    expect(stack.local.slack.orphanReplies(channel.id)).toStrictEqual([]);
    // The timeline shows the presses, and each thread as Slack does.
    const shown = timeline.entries.filter((e) => e.source === 'slack-app');
    expect(shown.map((e) => e.text)).toStrictEqual([
      'alice presses "Roll back now" (sent without Slack\u2019s signature)',
      'bob presses "Roll back now"',
      'Thread in #orders-deploys: the parent as it stands (4 edits) and 5 replies',
      'alice presses "Approve"',
      expect.stringMatching(
        /^Thread in #orders-deploys: the parent as it stands \(\d+ edits\) and \d+ replies$/,
      ),
    ]);
    expect(shown[2]?.details).toContainEqual(
      expect.stringMatching(/^\| \u2022 Rolled back to orders:1 by @bob at \d\d:\d\d UTC/),
    );
    expect(shown[4]?.details).toContainEqual(
      expect.stringMatching(
        /^\| \u2022 Approved by @alice at \d\d:\d\d UTC \(CONTINUE at POST_TEST_TRAFFIC_SHIFT\)$/,
      ),
    );
  });

  it('was played under at-least-once delivery: some events reached a function more than once', () => {
    // Assess
    const ids = stack.lambda.invocations
      .filter((i) => i.attempt === 1)
      .map((i) => `${i.function} ${(i.event as { id?: string }).id}`);
    expect(ids.length - new Set(ids).size).toBeGreaterThan(0);
  });

  /** The lifecycle hook answers with this status so far. */
  const hookAnswers = (status: string) =>
    stack.lambda.invocations.filter(
      (i) =>
        i.function === 'deployment-hooks' &&
        (i.result as { hookStatus?: string } | undefined)?.hookStatus === status,
    ).length;

  /** UpdateService calls made by the deployment guard. */
  const guardUpdates = () =>
    stack.local.calls
      .list('ecs', 'UpdateService', 'deployment-guard')
      .map((c) => c.input as { service: string; taskDefinition: string });
});
