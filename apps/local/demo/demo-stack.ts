import type { LocalAws } from '@harbormaster/local-aws';
import type { ConfigInput } from '#config/schema.ts';
import type { Chaos } from '../chaos/chaos.ts';
import { type LocalStack, startLocalStack } from '../lambda/local-stack.ts';
import { seedAccount } from './account.ts';
import { DEMO_JOB } from './scenarios/batch.ts';
import { demoSlack } from './scenarios/chat.ts';
import { DEMO_DELIVERY, DEMO_SERVICE_POLICY } from './scenarios/delivery.ts';
import { DEMO_POLICIES } from './scenarios/policies.ts';

const START = new Date('2026-11-21T09:00:00Z');

interface DemoOptions {
  /** Seed for duplicate and out-of-order delivery; without one, every event is delivered once, in order. */
  chaosSeed?: number | undefined;
  /** Simulated seconds per real second (as fast as possible if unset). */
  speed?: number | undefined;
  /** Faults to inject (`npm start -- --chaos`). */
  chaos?: Chaos | undefined;
}

/** Harbormaster's configuration for the story, once the embedded Slack workspace exists. */
const demoConfig = (local: LocalAws): ConfigInput => {
  const slack = demoSlack(local);
  return {
    alerts: {
      slack: { webhookUrlParameter: '/harbormaster/slack-webhook', minimumSeverity: 'info' },
      slackApp: slack.slackApp,
    },
    chat: slack.chat,
    deploymentGuard: slack.deploymentGuard,
    policies: [...DEMO_POLICIES, DEMO_SERVICE_POLICY],
    delivery: {
      ...DEMO_DELIVERY,
      services: [...DEMO_DELIVERY.services, ...slack.deliveryServices],
    },
    batchJobs: { jobs: { 'nightly-report': DEMO_JOB } },
  } as ConfigInput;
};

/**
 * The demo's stack on the embedded endpoint: Harbormaster's configuration for the story (Slack at
 * every severity, the Slack app for prod/orders, the demo policies and batch job) and the seeded
 * account (two clusters, services with a deployment history, task definitions).
 */
const startDemoStack = async (options: DemoOptions = {}): Promise<LocalStack> => {
  const stack = await startLocalStack({
    now: START,
    accountId: '111122223333',
    // The Lambda host tracks every delivery; the timeline only prints.
    listenersTrackWork: true,
    config: demoConfig,
    delivery:
      options.chaosSeed === undefined
        ? {}
        : { duplicateRate: 0.15, reorderRate: 0.1, seed: options.chaosSeed },
    ...(options.speed ? { speed: options.speed } : {}),
    ...(options.chaos ? { chaos: options.chaos } : {}),
  });
  try {
    await seedAccount(stack);
  } catch (error) {
    await stack.close();
    throw error;
  }
  return stack;
};

export { startDemoStack };
