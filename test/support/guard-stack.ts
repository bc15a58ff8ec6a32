import type { BehaviorSpec } from '@harbormaster/local-aws';
import {
  type DeliveryOptions,
  type LocalStack,
  type LocalStackOptions,
  startLocalStack,
} from '#apps/local/lambda/local-stack.ts';
import type { ConfigInput } from '#config/schema.ts';
import { deploymentGuard } from '#functions/deployment-guard/definition.ts';
import { FUNCTIONS } from '#functions/registry.ts';
import { countEcsCalls } from './ecs-call-counter.ts';
import { createService, registerRevision } from './local-services.ts';

const START = new Date('2026-11-21T09:00:00Z');

/** An alert as it reached SNS. */
interface SnsAlert {
  subject: string;
  kind: string;
  threadId: string;
  email: string;
}

/**
 * Harbormaster on the embedded endpoint with prod/web (v1) at steady state, the guard's ECS calls
 * counted per invocation, and helpers to deploy a revision that behaves in a given way.
 */
const startGuardStack = async (
  options: {
    config?: ConfigInput;
    delivery?: DeliveryOptions;
    desiredCount?: number;
    circuitBreaker?: { enable: boolean; rollback: boolean };
    tags?: Record<string, string>;
    /** A crash point: called after each answered SDK call of a hosted attempt. */
    afterCall?: LocalStackOptions['afterCall'];
  } = {},
) => {
  const counted = countEcsCalls(deploymentGuard);
  const stack: LocalStack = await startLocalStack({
    now: START,
    config: options.config ?? {},
    ...(options.delivery ? { delivery: options.delivery } : {}),
    ...(options.afterCall ? { afterCall: options.afterCall } : {}),
    functions: { ...FUNCTIONS, 'deployment-guard': counted.definition },
  });
  const { local } = stack;
  const { taskDefinition: v1 } = createService(local, {
    desiredCount: options.desiredCount ?? 2,
    circuitBreaker: options.circuitBreaker ?? { enable: true, rollback: true },
  });
  if (options.tags) {
    const serviceArn = local.ecs.service('prod', 'web')?.arn;
    local.ecs.call('TagResource', {
      resourceArn: serviceArn,
      tags: Object.entries(options.tags).map(([key, value]) => ({ key, value })),
    });
  }
  await local.clock.advance(5 * 60_000);
  await stack.settle();

  /** Registers v2 behaving as told and deploys it (as a user would, not through the wire). */
  const deploy = (
    behavior: BehaviorSpec | undefined,
    image = 'public.ecr.aws/nginx/nginx:1.28',
  ) => {
    const v2 = registerRevision(local, 'web', image);
    if (behavior) local.ecs.setBehavior(v2, behavior);
    local.ecs.call('UpdateService', { cluster: 'prod', service: 'web', taskDefinition: v2 });
    return v2;
  };

  const elapse = async (minutes: number): Promise<void> => {
    await local.clock.advance(minutes * 60_000);
    await stack.settle();
  };

  /** The alerts published to SNS so far. */
  const alerts = (): SnsAlert[] =>
    local.sns.messages(stack.topicArn).map((m) => {
      const perProtocol = JSON.parse(m.message) as { default: string; email: string };
      const chat = JSON.parse(perProtocol.default) as { metadata: { threadId: string } };
      return {
        subject: m.subject ?? '',
        kind: m.messageAttributes.kind?.StringValue ?? '',
        threadId: chat.metadata.threadId,
        email: perProtocol.email,
      };
    });

  /** The deployment alerts (lifecycle and guard) published so far. */
  const deploymentAlerts = (): SnsAlert[] =>
    alerts().filter((a) => a.kind === 'deployment-event' || a.kind === 'deployment-guard');

  /** UpdateService calls the guard made (the tests deploy through the simulator directly). */
  const guardUpdates = () => local.calls.list('ecs', 'UpdateService', 'deployment-guard');

  /** The guard's invocations on stopped tasks, with the ECS calls each made. */
  const taskInvocations = () => counted.invocations.filter((i) => i.kind === 'task-state-change');

  return {
    stack,
    local,
    v1,
    deploy,
    elapse,
    alerts,
    deploymentAlerts,
    guardUpdates,
    taskInvocations,
    invocations: counted.invocations,
  };
};

type GuardStack = Awaited<ReturnType<typeof startGuardStack>>;

export { type GuardStack, type SnsAlert, startGuardStack };
