import { describe, expect, it } from 'vitest';
import { formatSlackMessage } from '#alerts/formats/slack.ts';
import { RecordingTelemetry } from '#apps/local/lambda/recording-telemetry.ts';
import {
  type AnswerPauseAction,
  answerPauseRunner,
  type PausePort,
  pauseLeaseKey,
} from '#chat/actions/answer-pause.ts';
import { decideApproval, type PausedDeployment } from '#chat/clicks/decide-approval.ts';
import type { Click } from '#chat/interactions/click.ts';
import { MemoryChatStore } from '#chat/memory-store.ts';
import type { SlackWebApi } from '#chat/slack/web-api.ts';
import { newThread } from '#chat/threads/record.ts';
import type { ApprovalChatAction } from '#kernel/alerts/chat-actions.ts';
import type { AlertMessage } from '#kernel/alerts/model.ts';
import { MemoryLeaseStore } from '#kernel/lease/memory-lease-store.ts';

/**
 * Approve and Reject answer a pause hook (ContinueServiceDeployment, continue-service-deployment.html:
 * the hook must be AWAITING_ACTION and the deployment IN_PROGRESS). The service deployment shapes
 * are the progressive-delivery wing's (DescribeServiceDeployments through its adapter).
 */

const ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/Ks7Xyz';
const HOOK = 'ecs-pause-3fJq0XGd8mXvN2Lh1aB5cD7eF9gH2iJ4kL6mN8oP0qR';

const action = (kind: 'approve' | 'reject'): ApprovalChatAction => ({
  kind,
  account: '123456789012',
  region: 'us-east-1',
  cluster: 'prod',
  service: 'web',
  deploymentId: undefined,
  serviceDeploymentArn: ARN,
  hookId: HOOK,
});

const paused = (
  hook: Partial<PausedDeployment['hooks'][number]>,
  status = 'IN_PROGRESS',
): PausedDeployment => ({
  arn: ARN,
  status,
  lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
  hooks: [
    {
      hookId: HOOK,
      targetType: 'PAUSE',
      status: 'AWAITING_ACTION',
      expiresAt: new Date('2026-11-21T09:58:00Z'),
      timeoutAction: 'ROLLBACK',
      ...hook,
    },
  ],
});

const click = (user: string): Click => ({
  id: `T0/${user}/1795251900.000001`,
  user: { id: user, name: user.toLowerCase() },
  team: 'T0',
  appId: 'A0HARBOR01',
  channelId: 'C0DEPLOYS1',
  messageTs: '1795251900.000000',
  responseUrl: 'https://hooks.slack.com/actions/T0/1/x',
  actionId: 'harbormaster.approve',
  value: undefined,
  button: undefined,
  at: '2026-11-21T10:02:00.000Z',
});

const base = (user: string) => ({
  thread: { channel: '#deploys', threadId: 'ecs-prod-web-1' },
  clickId: click(user).id,
  user: click(user).user,
  responseUrl: click(user).responseUrl,
  at: click(user).at,
});

const decide = (pause: PausedDeployment | undefined, kind: 'approve' | 'reject' = 'approve') =>
  decideApproval(
    click('U0ALICE001'),
    action(kind),
    { thread: undefined, pause },
    base('U0ALICE001'),
    new Date(),
  );

/** A paused deployment's thread, the pause port (calls recorded) and the runner's context. */
const pauseWorld = async (hookAfterCall = 'AWAITING_ACTION') => {
  const store = new MemoryChatStore();
  const message = {
    id: 'a',
    occurredAt: '2026-11-21T09:50:00.000Z',
    threadId: 'ecs-prod-web-1',
    actions: [],
    attributes: {},
    severity: 'warning',
    kind: 'delivery-approval',
    eventType: 'X',
    title: 'paused',
    summary: '',
    fields: [],
    details: [],
    nextSteps: [],
    links: [],
    resources: [],
  } as AlertMessage;
  const thread = {
    ...newThread({ channel: '#deploys', threadId: 'ecs-prod-web-1' }, message, new Date()),
    outbox: [],
    ts: '1795251900.000000',
    channelId: 'C0DEPLOYS1',
    shown: 1,
  };
  await store.save(thread, undefined);
  const calls: string[] = [];
  const pauses: PausePort = {
    describe: async () => [
      paused({ status: calls.length > 0 ? hookAfterCall : 'AWAITING_ACTION' }),
    ],
    continueDeployment: async (_arn, hookId, answer) => {
      calls.push(`${hookId} ${answer}`);
    },
  };
  const told: string[] = [];
  const slack = {
    postMessage: async () => ({ channel: 'C0DEPLOYS1', ts: '1795251900.000001' }),
    update: async () => undefined,
  } as unknown as SlackWebApi;
  const leases = new MemoryLeaseStore();
  const context = (request: string, telemetry = new RecordingTelemetry()) => ({
    ports: {
      threads: {
        store,
        slack,
        format: formatSlackMessage,
        buttons: { interactive: true, snoozeMinutes: [] },
        telemetry,
      },
      responder: { tell: async (_url: string, text: string) => void told.push(text) },
      serviceDeployments: pauses,
    },
    telemetry,
    now: new Date(),
    leases,
    invocation: { requestId: request, attemptId: `${request}/1`, remainingMs: () => 30_000 },
    clock: () => new Date(),
  });
  const answer = (user: string): AnswerPauseAction => ({
    type: 'answer-pause',
    ...base(user),
    serviceDeploymentArn: ARN,
    hookId: HOOK,
    answer: 'CONTINUE',
    verb: 'Approved',
    stage: 'POST_TEST_TRAFFIC_SHIFT',
  });
  return { store, thread, calls, told, leases, context, answer };
};

describe('Approve and Reject on a paused deployment', () => {
  it('answers CONTINUE (Approve) or ROLLBACK (Reject) to a pause awaiting an answer', () => {
    // Act
    const approve = decide(paused({}));
    const reject = decide(paused({}), 'reject');
    // Assess
    expect(approve.actions).toMatchObject([
      { type: 'answer-pause', answer: 'CONTINUE', hookId: HOOK, serviceDeploymentArn: ARN },
    ]);
    expect(reject.actions).toMatchObject([
      { type: 'answer-pause', answer: 'ROLLBACK', verb: 'Rejected' },
    ]);
  });

  it.each([
    [
      'a pause that timed out',
      paused({ status: 'TIMED_OUT' }, 'ROLLBACK_IN_PROGRESS'),
      'The pause timed out at 09:58 UTC: ECS rolled back.',
    ],
    [
      'a pause answered elsewhere (CONTINUE)',
      paused({ status: 'SUCCEEDED' }),
      'Already approved: the deployment continued.',
    ],
    [
      'a pause answered elsewhere (ROLLBACK)',
      paused({ status: 'FAILED' }, 'ROLLBACK_IN_PROGRESS'),
      'Already rejected: the deployment rolled back.',
    ],
    [
      'a deployment that ended',
      paused({}, 'SUCCESSFUL'),
      'The deployment is SUCCESSFUL: there is nothing to answer.',
    ],
    [
      'a deployment ECS no longer knows',
      undefined,
      'ECS knows no such service deployment any more.',
    ],
  ])('says why it does nothing for %s', (_what, pause, text) => {
    // Act
    const decision = decide(pause);
    // Assess
    expect(decision.actions).toMatchObject([{ type: 'tell-clicker', text }]);
  });

  it('answers each pause once: of two clicks, one calls ContinueServiceDeployment and the other is told who did', async () => {
    // Prepare
    const { store, thread, calls, told, context, answer } = await pauseWorld();
    // Act
    const first = await answerPauseRunner.run(answer('U0ALICE001'), context('alice'));
    const second = await answerPauseRunner.run(answer('U0BOB00001'), context('bob'));
    // Assess
    expect(first.status).toBe('done');
    expect(second.status).toBe('skipped');
    expect(calls).toStrictEqual([`${HOOK} CONTINUE`]);
    expect(told).toStrictEqual(['Already answered by <@U0ALICE001> at 10:02 UTC.']);
    expect((await store.get(thread))?.notes.map((n) => n.text)).toStrictEqual([
      'Approved by <@U0ALICE001> at 10:02 UTC (CONTINUE at POST_TEST_TRAFFIC_SHIFT)',
    ]);
  });

  it('finds out what an attempt that died after calling ECS did: the retry writes the note and calls ECS no more', async () => {
    // Prepare: the first attempt called ContinueServiceDeployment and died before marking it done
    const { store, thread, calls, leases, context, answer } = await pauseWorld('SUCCEEDED');
    await leases.claim({
      key: pauseLeaseKey(ARN, HOOK),
      holder: { requestId: 'alice', attemptId: 'alice/1' },
      now: Date.now(),
      until: Date.now() + 30_000,
      keepSeconds: 60,
    });
    calls.push(`${HOOK} CONTINUE`);
    // Act: Lambda's retry of the same invocation
    const retry = context('alice');
    const outcome = await answerPauseRunner.run(answer('U0ALICE001'), {
      ...retry,
      invocation: { ...retry.invocation, attemptId: 'alice/2' },
    });
    // Assess
    expect(outcome.status).toBe('done');
    expect(calls).toStrictEqual([`${HOOK} CONTINUE`]);
    expect((await store.get(thread))?.notes.map((n) => n.text)).toStrictEqual([
      'Approved by <@U0ALICE001> at 10:02 UTC (CONTINUE at POST_TEST_TRAFFIC_SHIFT)',
    ]);
  });
});
