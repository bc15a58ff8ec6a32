import { describe, expect, it } from 'vitest';
import { deploymentHooks } from '#functions/deployment-hooks/definition.ts';
import { parseEventOf } from '#kernel/events/parse.ts';
import {
  deliveryConfig,
  deliveryFixture,
  deploymentOf,
  hookWorld,
  invokeHook,
  type Json,
} from '#support/delivery.ts';

const NOW = new Date('2026-03-05T15:54:42Z');
const PAUSED =
  'arn:aws:ecs:us-west-2:123456789012:service-deployment/my-cluster/my-service/0EYSiB0qap8xf0N76FsbE';
const HOOK = 'ecs-pause-e7tK9G_WRJqNF_EOMjztDXfKenlJuEUVjsNStf4WLKw';

const change = (eventName: string, detail: Json = {}): Json => {
  const event = deliveryFixture('hook-state-change-awaiting-action-docs');
  return { ...event, detail: { ...(event.detail as Json), eventName, ...detail } };
};

const world = () => {
  const w = hookWorld({ now: NOW });
  w.serviceDeployments.deployments.set(
    PAUSED,
    deploymentOf({
      arn: PAUSED,
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      hooks: [
        {
          hookId: HOOK,
          targetType: 'PAUSE',
          targetArn: undefined,
          status: 'AWAITING_ACTION',
          expiresAt: new Date('2026-03-05T16:04:41Z'),
          timeoutAction: 'ROLLBACK',
        },
      ],
    }),
  );
  return w;
};

describe('Approvals: pause hooks', () => {
  it('asks people to approve, with what the gates found and how to continue or roll back', async () => {
    // Prepare
    const w = world();
    await w.deliveryStore.saveProgress({
      cluster: 'my-cluster',
      service: 'my-service',
      deploymentArn: PAUSED,
      passed: [],
      verdicts: [
        {
          gate: 'analysis',
          stage: 'POST_TEST_TRAFFIC_SHIFT',
          share: 0,
          outcome: 'passed',
          at: '2026-03-05T15:50:00.000Z',
          lines: ['error-rate (HTTP 5xx rate): successful: 3 successful'],
        },
      ],
      runs: {},
      updatedAt: '2026-03-05T15:50:00.000Z',
    });
    // Act
    const { result } = await invokeHook(
      w,
      deliveryFixture('hook-state-change-awaiting-action-docs'),
      deliveryConfig(),
    );
    // Assess
    const alert = w.sns.sent[0];
    expect(alert).toMatchObject({
      severity: 'warning',
      title: 'my-cluster/my-service deployment paused: approval needed',
      summary:
        'The deployment is paused at POST_TEST_TRAFFIC_SHIFT and waits for a person. Unless answered by 2026-03-05T16:04:41Z, ECS will roll back.',
      threadId: 'ecs-my-cluster-my-service-0EYSiB0qap8xf0N76FsbE',
    });
    expect(alert?.details).toStrictEqual([
      'analysis gate at POST_TEST_TRAFFIC_SHIFT (0% of production): passed at 15:50 UTC',
      '  error-rate (HTTP 5xx rate): successful: 3 successful',
    ]);
    expect(alert?.nextSteps).toStrictEqual([
      `Approve: harbormaster approve '${PAUSED}' --hook-id '${HOOK}'`,
      `Roll back: harbormaster reject '${PAUSED}' --hook-id '${HOOK}'`,
      `Or with the AWS CLI: aws ecs continue-service-deployment --service-deployment-arn '${PAUSED}' --hook-id '${HOOK}' --action CONTINUE (or ROLLBACK)`,
    ]);
    const notify = result.actions[0]?.action as unknown as { alert: { actions: unknown } };
    expect(notify.alert.actions).toStrictEqual({
      continue: { serviceDeploymentArn: PAUSED, hookId: HOOK, action: 'CONTINUE' },
      rollback: { serviceDeploymentArn: PAUSED, hookId: HOOK, action: 'ROLLBACK' },
    });
  });

  it.each([
    ['HOOK_SUCCEEDED', 'info', 'deployment approved: continuing'],
    ['HOOK_FAILED', 'warning', 'deployment rejected: rolling back'],
    ['HOOK_TIMED_OUT', 'warning', 'approval timed out'],
  ])('closes the question on %s in the same thread', async (eventName, severity, title) => {
    // Prepare
    const w = world();
    // Act
    await invokeHook(w, change(eventName), deliveryConfig());
    // Assess
    expect(w.sns.sent).toStrictEqual([
      expect.objectContaining({
        severity,
        title: `my-cluster/my-service ${title}`,
        threadId: 'ecs-my-cluster-my-service-0EYSiB0qap8xf0N76FsbE',
        nextSteps: [],
      }),
    ]);
  });

  it('alerts each hook state once, however often EventBridge delivers it', async () => {
    // Prepare
    const w = world();
    // Act
    await invokeHook(
      w,
      deliveryFixture('hook-state-change-awaiting-action-docs'),
      deliveryConfig(),
    );
    await invokeHook(
      w,
      deliveryFixture('hook-state-change-awaiting-action-docs'),
      deliveryConfig(),
    );
    // Assess
    expect(w.sns.sent).toHaveLength(1);
  });

  it('reads the pause hooks page\u2019s example, which has no resources', () => {
    // Act
    const event = parseEventOf(
      deliveryFixture('hook-state-change-awaiting-action-pause-hooks-docs'),
      ['hook-state-change'],
    );
    // Assess
    expect(event.deployment).toMatchObject({
      cluster: 'my-cluster',
      service: 'my-service',
      id: 'EZe5RNVLH6PPzHXINuP28',
    });
    expect(event.meta.account).toBe('123456789012');
  });

  it.each<[Json, string]>([
    [{ hookType: 'AWS_LAMBDA' }, 'a AWS_LAMBDA hook'],
    [{ eventName: 'HOOK_IN_PROGRESS' }, 'HOOK_IN_PROGRESS asks nothing of people'],
  ])('screens out %j without reading anything', (detail, reason) => {
    // Prepare
    const event = parseEventOf(change(String(detail.eventName ?? 'HOOK_AWAITING_ACTION'), detail), [
      'hook-state-change',
    ]);
    // Assess
    expect(deploymentHooks.screen?.(event, deliveryConfig() as never)).toContain(reason);
  });
});
