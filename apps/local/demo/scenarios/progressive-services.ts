import { lifecycleHooksFor } from '#delivery/hooks-config.ts';
import { resolveDeliverySettings } from '#delivery/settings.ts';
import type { LocalStack } from '../../lambda/local-stack.ts';

const NETWORK = {
  awsvpcConfiguration: {
    subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
    securityGroups: ['sg-0a1b2c3d'],
  },
};

/** The statuses a service deployment ends in. */
const SETTLED = ['SUCCESSFUL', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED'];

/** A service's load balancing for blue/green: two target groups on a production and a test rule. */
interface AlbResources {
  blue: string;
  green: string;
  productionRule: string;
  testRule: string;
}

const hex16 = (seed: string): string =>
  [...seed.padEnd(16, 'x')]
    .map((c) => (c.charCodeAt(0) % 16).toString(16))
    .join('')
    .slice(0, 16);

/** The ALB resources of a demo service, in the ELB API's ARN formats. */
const albOf = (stack: LocalStack, service: string): AlbResources => {
  const elb = `arn:aws:elasticloadbalancing:${stack.local.region}:${stack.local.accountId}`;
  const alb = `app/${service}-alb/${hex16(service)}`;
  return {
    blue: `${elb}:targetgroup/${service}-blue/${hex16(`${service}b`)}`,
    green: `${elb}:targetgroup/${service}-green/${hex16(`${service}g`)}`,
    productionRule: `${elb}:listener-rule/${alb}/${hex16(`${service}l`)}/${hex16(`${service}p`)}`,
    testRule: `${elb}:listener-rule/${alb}/${hex16(`${service}m`)}/${hex16(`${service}t`)}`,
  };
};

/** The ARNs `harbormaster hooks` reads from the stack's outputs, as the local stack names them. */
const hookTargets = (stack: LocalStack) => ({
  functionArn: `arn:aws:lambda:${stack.local.region}:${stack.local.accountId}:function:${stack.lambda.functionName('deployment-hooks')}`,
  roleArn: `arn:aws:iam::${stack.local.accountId}:role/harbormaster-local-DeploymentHooksInvokeRole-LOCAL`,
});

/**
 * Creates a service on the BLUE_GREEN, LINEAR or CANARY strategy behind an ALB, lets its first
 * deployment settle, then adds the lifecycle hooks `harbormaster hooks <cluster>/<service>` prints
 * for it (the gates and approvals the configuration enables), as a user would. Changing only the
 * deployment configuration starts no deployment.
 */
const createProgressiveService = async (
  stack: LocalStack,
  options: {
    cluster: string;
    service: string;
    taskDefinition: string;
    desiredCount: number;
    deploymentConfiguration: Record<string, unknown>;
    tags?: { key: string; value: string }[];
  },
): Promise<AlbResources> => {
  const alb = albOf(stack, options.service);
  const settings = resolveDeliverySettings(
    stack.config.delivery,
    options.cluster,
    options.service,
    {},
  );
  stack.local.ecs.createService({
    cluster: options.cluster,
    serviceName: options.service,
    taskDefinition: options.taskDefinition,
    desiredCount: options.desiredCount,
    launchType: 'FARGATE',
    networkConfiguration: NETWORK,
    loadBalancers: [
      {
        targetGroupArn: alb.blue,
        containerName: 'app',
        containerPort: 80,
        advancedConfiguration: {
          alternateTargetGroupArn: alb.green,
          productionListenerRule: alb.productionRule,
          testListenerRule: alb.testRule,
          roleArn: `arn:aws:iam::${stack.local.accountId}:role/ecsInfrastructureRoleForLoadBalancers`,
        },
      },
    ],
    deploymentConfiguration: options.deploymentConfiguration,
    ...(options.tags ? { tags: options.tags } : {}),
  });
  await stepUntil(stack, 15, () =>
    SETTLED.includes(deploymentStatus(stack, options.cluster, options.service) ?? ''),
  );
  stack.local.ecs.call('UpdateService', {
    cluster: options.cluster,
    service: options.service,
    deploymentConfiguration: {
      ...options.deploymentConfiguration,
      lifecycleHooks: lifecycleHooksFor(settings, hookTargets(stack)),
    },
  });
  return alb;
};

/** Green's share of the production rule now (percent). */
const greenShare = (stack: LocalStack, alb: AlbResources): number =>
  stack.local.ecs.listenerRuleWeights(alb.productionRule)?.[alb.green] ?? 0;

/**
 * Advances simulated time in ten-second steps (the traffic simulation's tick) until `done` holds or
 * `minutes` have passed, calling `each` after every step; returns whether `done` held.
 */
const stepUntil = async (
  stack: LocalStack,
  minutes: number,
  done: () => boolean,
  each: () => void = () => undefined,
): Promise<boolean> => {
  for (let elapsed = 0; elapsed < minutes * 60_000; elapsed += 10_000) {
    await stack.elapse(10_000);
    each();
    if (done()) return true;
  }
  return false;
};

/** The status of a service's newest service deployment. */
const deploymentStatus = (
  stack: LocalStack,
  cluster: string,
  service: string,
): string | undefined => {
  const out = stack.local.ecs.call('ListServiceDeployments', { cluster, service }) as {
    serviceDeployments?: { status?: string; createdAt?: number }[];
  };
  return [...(out.serviceDeployments ?? [])].sort(
    (a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0),
  )[0]?.status;
};

export {
  type AlbResources,
  albOf,
  createProgressiveService,
  deploymentStatus,
  greenShare,
  hookTargets,
  SETTLED,
  stepUntil,
};
