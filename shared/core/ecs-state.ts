/** A service deployment as DescribeServices reports it. */
interface DeploymentState {
  id: string;
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  rolloutState: string | undefined;
  rolloutStateReason: string | undefined;
  createdAt: Date | undefined;
  updatedAt: Date | undefined;
}

/** The parts of an ECS service Harbormaster decides on, independent of the SDK's types. */
interface ServiceState {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  launchType: string | undefined;
  /** ECS (rolling), CODE_DEPLOY or EXTERNAL. */
  deploymentController: string;
  circuitBreaker: { enable: boolean; rollback: boolean } | undefined;
  alarms: { alarmNames: string[]; enable: boolean; rollback: boolean } | undefined;
  deployments: DeploymentState[];
  tags: Record<string, string>;
}

export type { DeploymentState, ServiceState };
