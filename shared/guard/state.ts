import type { DeploymentState, ServiceState, TaskState } from '#aws/ecs/state.ts';
import type { EventOfKind } from '#kernel/events/parse.ts';
import type { AlarmStateValue } from './ports.ts';
import type { DeploymentWatch, ServiceGuardHistory, WatchRef } from './records.ts';
import type { ServiceDeploymentFacts } from './service-deployments.ts';
import type { GuardSettings } from './settings.ts';

/** The events the guard decides on. */
type GuardEvent = EventOfKind<
  'task-state-change' | 'deployment-state-change' | 'alarm-state-change' | 'scheduled'
>;

/** One service an event concerns, as ECS and the guard's memory describe it. */
interface ServiceSnapshot {
  cluster: string;
  service: string;
  /** DescribeServices; undefined when the service no longer exists (alarm and sweep events). */
  ecs: ServiceState | undefined;
  /** The guard's settings for the service (configuration, then its tags), when ECS describes it. */
  settings: GuardSettings | undefined;
  history: ServiceGuardHistory;
  /** Stopped tasks of the deployment under judgment, when failures may count. */
  stoppedTasks: TaskState[];
  /** Blue/green, linear and canary: the service deployment behind each deployment judged. */
  serviceDeployments?: Record<string, ServiceDeploymentFacts>;
}

/**
 * What the guard's decision reads. Live, `load` builds it from ECS, CloudWatch and the guard's
 * table; a replay builds the same from a recorded state file and the events before.
 */
interface GuardState {
  services: ServiceSnapshot[];
  /** For a deployment that starts: the state of each alarm watched for it. */
  alarmStates: Record<string, AlarmStateValue>;
  /** For alarm and sweep events: the watched deployments the event concerns. */
  refs: WatchRef[];
}

/** One deployment under judgment, with everything known about it. */
interface DeploymentFacts {
  account: string;
  region: string;
  cluster: string;
  service: string;
  deploymentId: string;
  ecs: ServiceState;
  /** The deployment as ECS reports it; undefined once ECS forgot it. */
  deployment: DeploymentState | undefined;
  watch: DeploymentWatch | undefined;
  history: ServiceGuardHistory;
  stoppedTasks: TaskState[];
  settings: GuardSettings;
  now: Date;
  /** Blue/green, linear and canary: the service deployment behind it, when found. */
  serviceDeployment?: ServiceDeploymentFacts | undefined;
}

export type { DeploymentFacts, GuardEvent, GuardState, ServiceSnapshot };
