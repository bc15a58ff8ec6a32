import type { LocalAws } from '@harbormaster/local-aws';
import type { ConfigInput } from '#config/schema.ts';
import type { LocalStack } from '../../lambda/local-stack.ts';
import { revision } from '../account.ts';
import type { Timeline } from '../timeline.ts';
import {
  createProgressiveService,
  deploymentStatus,
  SETTLED,
  stepUntil,
} from './progressive-services.ts';
import { elapse, type Scenario } from './scenario.ts';
import { DEMO_SLACK, press, waitForButton, workspaceOf } from './slack-clicks.ts';

const ECR = '111122223333.dkr.ecr.us-east-1.amazonaws.com';

/**
 * The demo's simulated Slack workspace, and the configuration that uses it: the Slack app posts
 * the threads of services that name their channel in a tag (prod/orders: #orders-deploys); alice
 * and the orders on-call group (bob) may press every button on prod; prod/orders asks a person
 * before rolling back (its failed-tasks trigger only notifies: Roll back now in Slack).
 */
const demoSlack = (
  local: LocalAws,
): {
  slackApp: NonNullable<ConfigInput['alerts']>['slackApp'];
  chat: ConfigInput['chat'];
  deploymentGuard: ConfigInput['deploymentGuard'];
  /** prod/cart pauses for an approval after its test traffic shift. */
  deliveryServices: { cluster: string; service: string; approvals: Record<string, unknown> }[];
} => {
  const app = local.slack.installApp({ name: 'Harbormaster' });
  const alice = local.slack.createUser(DEMO_SLACK.alice);
  const bob = local.slack.createUser(DEMO_SLACK.bob);
  local.slack.createChannel({ name: DEMO_SLACK.channel, members: [app, alice, bob] });
  const oncall = local.slack.createUserGroup({ handle: DEMO_SLACK.group, users: [bob] });
  return {
    // Locally the clock stands still while a function waits: a 429 is queued for the sweep.
    slackApp: { botTokenParameter: '/harbormaster/slack-bot-token', maxRetryAfterSeconds: 0 },
    chat: {
      signingSecretParameter: '/harbormaster/slack-signing-secret',
      appId: app.appId,
      permissions: [
        {
          actions: ['rollback', 'approve', 'reject', 'snooze', 'acknowledge'],
          clusters: ['prod'],
          users: [alice.id],
          userGroups: [oncall.id],
        },
      ],
    },
    deploymentGuard: {
      services: [{ cluster: 'prod', service: 'orders', failedTasks: { mode: 'notify', count: 2 } }],
    },
    deliveryServices: [
      {
        cluster: 'prod',
        service: 'cart',
        approvals: { stages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutInMinutes: 60 },
      },
    ],
  };
};

/**
 * One-click operations from the deployment's Slack thread. prod/orders names its channel in a tag
 * (#orders-deploys) and asks a person before rolling back: its failed-tasks trigger only notifies.
 * A new image crashes; the thread's parent says the guard would roll back and offers "Roll back
 * now". A request without Slack's signature is refused; bob (on call through his user group)
 * presses the button; the chat-actions function answers at once, rolls back once, and writes who
 * did what into the thread.
 */
/**
 * prod/cart deploys on BLUE_GREEN and pauses after the test traffic shift for a person's
 * approval (its delivery settings); the pause alert lands in #orders-deploys (the service's channel
 * tag) with Approve and Reject; alice approves: ContinueServiceDeployment with the deployment ARN
 * and the hook id, and the deployment completes.
 */
const approveCart = async (stack: LocalStack, timeline: Timeline, channel: string) => {
  const { ecs } = stack.local;
  const v1 = revision(stack, 'cart', `${ECR}/cart:7.0.0`);
  await createProgressiveService(stack, {
    cluster: 'prod',
    service: 'cart',
    taskDefinition: v1,
    desiredCount: 2,
    deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 2 },
    tags: [{ key: 'harbormaster:slack-channel', value: `#${DEMO_SLACK.channel}` }],
  });
  ecs.setTraffic('prod', 'cart', { production: 1800, test: 180 });
  await elapse(stack, 2);
  const v2 = revision(stack, 'cart', `${ECR}/cart:7.1.0`);
  ecs.call('UpdateService', { cluster: 'prod', service: 'cart', taskDefinition: v2 });
  const approve = { actionId: 'harbormaster.approve', label: 'Approve' };
  const paused = await waitForButton(stack, channel, approve.actionId, 15);
  if (!paused) {
    timeline.note(`no message of #${DEMO_SLACK.channel} offers Approve after 15 min`);
    return;
  }
  await press(stack, timeline, DEMO_SLACK.alice, paused.ts, approve);
  await stepUntil(stack, 30, () => SETTLED.includes(deploymentStatus(stack, 'prod', 'cart') ?? ''));
  timeline.note(`prod/cart: deployment ${deploymentStatus(stack, 'prod', 'cart')}`);
  ecs.setTraffic('prod', 'cart', undefined);
  timeline.slackThread(channel, paused.ts);
};

const chatOperations: Scenario = {
  name: 'chat',
  title:
    'Chat operations: a failing deployment rolled back, a paused one approved, from their Slack threads',
  explains: [
    'prod/orders posts to #orders-deploys (its harbormaster:slack-channel tag) through the Slack app:',
    'one parent message per deployment, edited in place, every event a reply in its thread. Its',
    'failed-tasks trigger only notifies, so the parent offers "Roll back now". A forged request',
    '(no signature) is refused with 401; bob, on call, presses the button: Slack gets its answer',
    'at once, the rollback runs asynchronously, once, and the thread says who did it and when.',
    'Then prod/cart (BLUE_GREEN, same channel) pauses after its test traffic shift for an',
    'approval; alice presses Approve: ContinueServiceDeployment with the deployment ARN and the',
    'hook id, and the deployment completes.',
  ],
  run: async (stack, timeline) => {
    const { ecs } = stack.local;
    const { channel } = workspaceOf(stack);
    const v1 = revision(stack, 'orders', `${ECR}/orders:3.1.0`);
    ecs.createService({
      cluster: 'prod',
      serviceName: 'orders',
      taskDefinition: v1,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] },
      },
      deploymentConfiguration: { minimumHealthyPercent: 100 },
      tags: [
        { key: 'harbormaster:slack-channel', value: `#${DEMO_SLACK.channel}` },
        { key: 'team', value: 'orders' },
      ],
    });
    await elapse(stack, 3);
    const broken = revision(stack, 'orders', `${ECR}/orders:3.2.0`);
    ecs.setBehavior(broken, { kind: 'crash', afterMs: 8_000, exitCode: 1 });
    ecs.call('UpdateService', { cluster: 'prod', service: 'orders', taskDefinition: broken });
    // Until the thread offers the button (a minute or so; longer when attempts fail and retry).
    const rollBack = { actionId: 'harbormaster.rollback', label: 'Roll back now' };
    const failing = await waitForButton(stack, channel.id, rollBack.actionId, 10);
    if (!failing) {
      timeline.note(`no message of #${DEMO_SLACK.channel} offers Roll back now after 10 min`);
      return;
    }
    await press(stack, timeline, DEMO_SLACK.alice, failing.ts, rollBack, { signed: false });
    await press(stack, timeline, DEMO_SLACK.bob, failing.ts, rollBack);
    await elapse(stack, 3);
    timeline.slackThread(channel.id, failing.ts);
    await approveCart(stack, timeline, channel.id);
  },
};

export { chatOperations, DEMO_SLACK, demoSlack };
