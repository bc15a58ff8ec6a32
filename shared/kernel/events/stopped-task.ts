import type { TaskContainer, TaskDetail } from './task-state-change.ts';

/**
 * Why a task stopped. Classified by stopCode first, the stoppedReason prefix second and the
 * essential containers' exit codes last (reference: ecs-events-and-apis.md sections 2 and 9):
 * exit 137 or 143 alone is not a failure, because the scheduler sends SIGTERM/SIGKILL on scale-in.
 */
type StopKind =
  | 'failed-to-start'
  | 'crashed'
  | 'health-check-failed'
  | 'out-of-memory'
  | 'exited'
  | 'scheduler-stopped'
  | 'user-stopped'
  | 'spot-interruption'
  | 'infrastructure'
  | 'unknown';

/** The kinds that mean the task's own code or configuration failed. */
const FAILURE_KINDS: ReadonlySet<StopKind> = new Set([
  'failed-to-start',
  'crashed',
  'health-check-failed',
  'out-of-memory',
]);

/** A container's outcome as the event reports it. */
interface ContainerExit {
  name: string;
  exitCode: number | undefined;
  reason: string | undefined;
}

/** The classification of one stopped (or stopping) task. */
interface StopClassification {
  kind: StopKind;
  failure: boolean;
  stopCode: string | undefined;
  stoppedReason: string | undefined;
  essentialExits: ContainerExit[];
}

// Containers AWS injects into tasks; never essential, and their exits say nothing about the app.
const AWS_MANAGED_CONTAINER = /^(aws-guardduty-agent|~internal~ecs|ecs-service-connect-agent)/;

const HEALTH_CHECK_REASON =
  /^Task failed (ELB|container|Cloud Map|VPC Lattice|[\w ]+) health checks?/i;
const START_FAILURE_REASON =
  /^(CannotPullContainerError|CannotStartContainerError|CannotCreateContainerError|CannotInspectContainerError|ResourceInitializationError|ResourceNotFoundException|TaskFailedToStart|InternalError|Timeout waiting for network interface)/i;
const OOM_REASON = /OutOfMemory/i;

/**
 * The containers whose exit decides the task's fate: those named essential by the task definition
 * when the caller knows them, otherwise every container except the ones AWS injects.
 */
const essentialContainers = (
  containers: readonly TaskContainer[] | undefined,
  essentialNames?: ReadonlySet<string>,
): ContainerExit[] =>
  (containers ?? [])
    .filter((c) =>
      essentialNames ? essentialNames.has(c.name) : !AWS_MANAGED_CONTAINER.test(c.name),
    )
    .map((c) => ({ name: c.name, exitCode: c.exitCode, reason: c.reason }));

const classifyContainerExit = (exits: readonly ContainerExit[]): StopKind => {
  if (exits.some((c) => c.reason !== undefined && OOM_REASON.test(c.reason)))
    return 'out-of-memory';
  if (exits.some((c) => c.exitCode !== undefined && c.exitCode !== 0)) return 'crashed';
  if (exits.length > 0 && exits.every((c) => c.exitCode === undefined)) return 'failed-to-start';
  return 'exited';
};

const classifyByReason = (reason: string, exits: readonly ContainerExit[]): StopKind => {
  if (reason.startsWith('Essential container in task exited')) return classifyContainerExit(exits);
  if (HEALTH_CHECK_REASON.test(reason)) return 'health-check-failed';
  if (reason.startsWith('Scaling activity initiated by')) return 'scheduler-stopped';
  if (reason.startsWith('Task stopped by user')) return 'user-stopped';
  if (/spot/i.test(reason) && /interrupt/i.test(reason)) return 'spot-interruption';
  if (START_FAILURE_REASON.test(reason)) return 'failed-to-start';
  if (
    /^(Host EC2|ECS is performing maintenance|Task stopped due to infrastructure)/i.test(reason)
  ) {
    return 'infrastructure';
  }
  if (exits.some((c) => c.reason !== undefined && OOM_REASON.test(c.reason)))
    return 'out-of-memory';
  return 'unknown';
};

const classifyKind = (detail: TaskDetail, exits: readonly ContainerExit[]): StopKind => {
  const reason = detail.stoppedReason ?? '';
  switch (detail.stopCode) {
    case 'TaskFailedToStart':
      return 'failed-to-start';
    case 'EssentialContainerExited':
      return classifyContainerExit(exits);
    case 'UserInitiated':
      return 'user-stopped';
    case 'SpotInterruption':
      return 'spot-interruption';
    case 'TerminationNotice':
      // The older docs used TerminationNotice for Fargate Spot; EC2 instance termination uses it too.
      return /spot/i.test(reason) || /SPOT/.test(detail.capacityProviderName ?? '')
        ? 'spot-interruption'
        : 'infrastructure';
    case 'InfrastructureHealth':
      return 'infrastructure';
    case 'ServiceSchedulerInitiated':
      return HEALTH_CHECK_REASON.test(reason) ? 'health-check-failed' : 'scheduler-stopped';
    default:
      return classifyByReason(reason, exits);
  }
};

/**
 * Classifies why a task stopped; undefined while the task is neither stopped nor being stopped.
 * Pass the task definition's essential container names when known for an exact answer.
 */
const classifyStoppedTask = (
  detail: TaskDetail,
  essentialNames?: ReadonlySet<string>,
): StopClassification | undefined => {
  const stopping = detail.lastStatus === 'STOPPED' || detail.desiredStatus === 'STOPPED';
  if (!stopping || (detail.lastStatus !== 'STOPPED' && !detail.stopCode)) return undefined;
  const essentialExits = essentialContainers(detail.containers, essentialNames);
  const kind = classifyKind(detail, essentialExits);
  return {
    kind,
    failure: FAILURE_KINDS.has(kind),
    stopCode: detail.stopCode,
    stoppedReason: detail.stoppedReason,
    essentialExits,
  };
};

export {
  type ContainerExit,
  classifyStoppedTask,
  essentialContainers,
  FAILURE_KINDS,
  type StopClassification,
  type StopKind,
};
