import {
  type ContainerDefinition,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { elapse, type Scenario } from './scenario.ts';

const ECR = '111122223333.dkr.ecr.us-east-1.amazonaws.com';
// Shaped like a Stripe live key; the alert names the variable, never this value.
const PLAINTEXT_KEY = ['sk', 'live', '51DemoKey0000000000'].join('_');

const container = (overrides: ContainerDefinition): ContainerDefinition => ({
  essential: true,
  user: '1000',
  readonlyRootFilesystem: true,
  healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/health || exit 1'] },
  logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/demo' } },
  ...overrides,
});

/**
 * A developer registers a non-compliant revision (CloudTrail's record reaches the policy enforcer,
 * which tags, deregisters and alerts); a standalone job running as root is stopped as it starts.
 */
const policyEnforcement: Scenario = {
  name: 'policies',
  title: 'Policies enforced where ECS changes: a registration and a task start',
  explains: [
    'A developer registers checkout:1 with the image tag "latest" and an API key in plaintext.',
    'Policy hardened-images (enforce) tags the revision, deregisters it and alerts, naming the',
    'variable but never its value. Then a report job whose definition runs as root is started with',
    'RunTask: policy batch-jobs stops the task as it starts, with a reason naming the rule.',
  ],
  run: async (stack) => {
    const developer = new ECSClient({
      endpoint: stack.local.url,
      region: stack.local.region,
      credentials: {
        accessKeyId: stack.local.env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: stack.local.env.AWS_SECRET_ACCESS_KEY ?? '',
      },
    });
    try {
      await developer.send(
        new RegisterTaskDefinitionCommand({
          family: 'checkout',
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          cpu: '512',
          memory: '1024',
          taskRoleArn: `arn:aws:iam::${stack.local.accountId}:role/checkout-task`,
          executionRoleArn: `arn:aws:iam::${stack.local.accountId}:role/checkout-execution`,
          containerDefinitions: [
            container({
              name: 'app',
              image: `${ECR}/checkout:latest`,
              environment: [{ name: 'PAYMENTS_API_KEY', value: PLAINTEXT_KEY }],
            }),
          ],
        }),
      );
      await elapse(stack, 1);
    } finally {
      developer.destroy();
    }
    // Registered before the policies existed; it is caught when it runs.
    const job = stack.local.ecs.registerTaskDefinition({
      family: 'nightly-report',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        container({ name: 'report', image: `${ECR}/report:2.4.1`, user: 'root' }),
      ],
    });
    stack.local.ecs.call('RunTask', {
      cluster: 'prod',
      taskDefinition: job,
      launchType: 'FARGATE',
      startedBy: 'nightly-report',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'] },
      },
    });
    await elapse(stack, 5);
  },
};

/** The policies the demo account runs with. */
const DEMO_POLICIES = [
  {
    name: 'hardened-images',
    description:
      'Revisions must pin their images and keep credentials out of environment variables.',
    resource: 'ecs-task-definition',
    mode: 'enforce',
    filters: [{ type: 'image-pinned' }, { type: 'no-plaintext-secrets' }],
    actions: [{ type: 'tag' }, { type: 'deregister' }],
  },
  {
    name: 'batch-jobs',
    resource: 'ecs-task',
    mode: 'enforce',
    filters: [{ type: 'non-root-user' }, { type: 'not-privileged' }],
    actions: [{ type: 'stop' }],
  },
];

export { DEMO_POLICIES, policyEnforcement };
