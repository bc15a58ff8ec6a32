import type { LocalStack } from '../lambda/local-stack.ts';

const NETWORK = {
  awsvpcConfiguration: {
    subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
    securityGroups: ['sg-0a1b2c3d'],
  },
};

/** A Fargate task definition revision for the demo account. */
const revision = (stack: LocalStack, family: string, image: string): string => {
  const account = stack.local.accountId;
  return stack.local.ecs.registerTaskDefinition({
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    taskRoleArn: `arn:aws:iam::${account}:role/${family}-task`,
    executionRoleArn: `arn:aws:iam::${account}:role/${family}-execution`,
    containerDefinitions: [
      {
        name: 'app',
        image,
        essential: true,
        readonlyRootFilesystem: true,
        user: '1000',
        healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/health || exit 1'] },
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${family}` } },
      },
    ],
  });
};

const service = (
  stack: LocalStack,
  cluster: string,
  name: string,
  taskDefinition: string,
  desiredCount: number,
) =>
  stack.local.ecs.createService({
    cluster,
    serviceName: name,
    taskDefinition,
    desiredCount,
    launchType: 'FARGATE',
    networkConfiguration: NETWORK,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      minimumHealthyPercent: 100,
    },
  });

/**
 * Seeds a realistic account: two clusters, services with a deployment history (each service's
 * current revision was deployed over an earlier one), and quietly lets everything reach steady state.
 */
const seedAccount = async (stack: LocalStack): Promise<void> => {
  const ecs = stack.local.ecs;
  ecs.createCluster('prod');
  ecs.createCluster('staging');
  const web1 = revision(stack, 'web', '111122223333.dkr.ecr.us-east-1.amazonaws.com/web:2026.11.1');
  service(stack, 'prod', 'web', web1, 3);
  service(
    stack,
    'prod',
    'payments',
    revision(stack, 'payments', '111122223333.dkr.ecr.us-east-1.amazonaws.com/payments:4.2.0'),
    2,
  );
  service(
    stack,
    'staging',
    'worker',
    revision(stack, 'worker', '111122223333.dkr.ecr.us-east-1.amazonaws.com/worker:1.8.3'),
    1,
  );
  await stack.local.clock.advance(5 * 60_000);
  const web2 = revision(stack, 'web', '111122223333.dkr.ecr.us-east-1.amazonaws.com/web:2026.11.2');
  ecs.call('UpdateService', { cluster: 'prod', service: 'web', taskDefinition: web2 });
  await stack.local.clock.advance(10 * 60_000);
  await stack.settle();
};

export { revision, seedAccount };
