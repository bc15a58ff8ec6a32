import type { DeploymentState, ServiceState } from '#aws/ecs/state.ts';

const ARN = 'arn:aws:ecs:us-west-2:111122223333';

/** A deployment as DescribeServices reports one, with overrides. */
const deployment = (
  overrides: Partial<DeploymentState> & Pick<DeploymentState, 'id'>,
): DeploymentState => ({
  status: 'PRIMARY',
  taskDefinition: `${ARN}:task-definition/web:2`,
  desiredCount: 2,
  runningCount: 2,
  pendingCount: 0,
  failedTasks: 0,
  rolloutState: 'COMPLETED',
  rolloutStateReason: undefined,
  createdAt: new Date('2020-05-23T11:00:00Z'),
  updatedAt: new Date('2020-05-23T11:11:11Z'),
  ...overrides,
});

/** The docs' example service (default/servicetest) as a ServiceState, with overrides. */
const serviceState = (overrides: Partial<ServiceState> = {}): ServiceState => ({
  serviceArn: `${ARN}:service/default/servicetest`,
  serviceName: 'servicetest',
  clusterArn: `${ARN}:cluster/default`,
  status: 'ACTIVE',
  taskDefinition: `${ARN}:task-definition/web:2`,
  desiredCount: 2,
  runningCount: 2,
  launchType: 'FARGATE',
  deploymentController: 'ECS',
  strategy: undefined,
  circuitBreaker: { enable: true, rollback: true },
  alarms: undefined,
  deployments: [deployment({ id: 'ecs-svc/123' })],
  tags: {},
  ...overrides,
});

export { ARN, deployment, serviceState };
