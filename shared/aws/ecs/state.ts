import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { TaskDetail } from '#kernel/events/task-state-change.ts';

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
  /** The ECS controller's strategy: ROLLING (also when absent), BLUE_GREEN, LINEAR or CANARY. */
  strategy: string | undefined;
  circuitBreaker: { enable: boolean; rollback: boolean } | undefined;
  alarms: { alarmNames: string[]; enable: boolean; rollback: boolean } | undefined;
  deployments: DeploymentState[];
  tags: Record<string, string>;
}

/**
 * A task as DescribeTasks reports it, in the shape of a task state change event's detail (which ECS
 * documents as resembling DescribeTasks' Task), so the same classification code reads both.
 */
type TaskState = TaskDetail;

/** A registered task definition revision and its tags (DescribeTaskDefinition with TAGS). */
interface TaskDefinitionState {
  definition: TaskDefinition;
  tags: Record<string, string>;
}

export type { DeploymentState, ServiceState, TaskDefinitionState, TaskState };
