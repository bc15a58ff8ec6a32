import type { LocalAws } from '@harbormaster/local-aws';

const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] },
};

/** Registers a Fargate revision of `family` in the simulator and returns its ARN. */
const registerRevision = (
  local: LocalAws,
  family: string,
  image = 'public.ecr.aws/nginx/nginx:1.27',
): string =>
  local.ecs.registerTaskDefinition({
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    taskRoleArn: `arn:aws:iam::${local.accountId}:role/${family}-task`,
    executionRoleArn: `arn:aws:iam::${local.accountId}:role/${family}-execution`,
    containerDefinitions: [
      {
        name: 'app',
        image,
        essential: true,
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${family}` } },
      },
    ],
  });

/** Creates cluster `cluster` and a Fargate service on the first revision of `service`'s family. */
const createService = (
  local: LocalAws,
  options: {
    cluster?: string;
    service?: string;
    desiredCount?: number;
    circuitBreaker?: { enable: boolean; rollback: boolean };
  } = {},
): { cluster: string; service: string; taskDefinition: string } => {
  const cluster = options.cluster ?? 'prod';
  const service = options.service ?? 'web';
  local.ecs.createCluster(cluster);
  const taskDefinition = registerRevision(local, service);
  local.ecs.createService({
    cluster,
    serviceName: service,
    taskDefinition,
    desiredCount: options.desiredCount ?? 2,
    launchType: 'FARGATE',
    networkConfiguration: NETWORK,
    deploymentConfiguration: {
      deploymentCircuitBreaker: options.circuitBreaker ?? { enable: true, rollback: true },
    },
  });
  return { cluster, service, taskDefinition };
};

export { createService, NETWORK, registerRevision };
