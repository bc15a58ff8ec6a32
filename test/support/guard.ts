import type { ServiceState, TaskState } from '#aws/ecs/state.ts';
import { parseConfig } from '#config/parse.ts';
import type { Config, ConfigInput } from '#config/schema.ts';
import { deploymentGuard } from '#functions/deployment-guard/definition.ts';
import type { GuardAction } from '#guard/actions/index.ts';
import { decideDeploymentGuard } from '#guard/decide.ts';
import type { AlarmStateValue } from '#guard/ports.ts';
import type { DeploymentWatch, RollbackRecord, ServiceGuardHistory } from '#guard/records.ts';
import { screenGuardEvent } from '#guard/screen.ts';
import { resolveGuardSettings } from '#guard/settings.ts';
import type { GuardEvent, GuardState } from '#guard/state.ts';
import { type Decision, ignore } from '#kernel/decision.ts';
import { fixture, type Json, stoppedTask } from './events.ts';
import { ARN, deployment, serviceState } from './services.ts';

/**
 * The guard's world in unit tests: the docs' example service (default/servicetest, the one the
 * deployment fixtures name) rolling out ecs-svc/123 (web:3) over ecs-svc/122 (web:2).
 */
const NEW_ID = 'ecs-svc/123';
const OLD_ID = 'ecs-svc/122';
const NEW_TD = `${ARN}:task-definition/web:3`;
const OLD_TD = `${ARN}:task-definition/web:2`;
const STARTED = new Date('2020-05-23T11:00:00Z');
const NOW = new Date('2020-05-23T11:12:00Z');

const newDeployment = deployment({
  id: NEW_ID,
  status: 'PRIMARY',
  taskDefinition: NEW_TD,
  rolloutState: 'IN_PROGRESS',
  rolloutStateReason: `ECS deployment ${NEW_ID} in progress.`,
  createdAt: STARTED,
  updatedAt: STARTED,
});
const oldDeployment = deployment({
  id: OLD_ID,
  status: 'ACTIVE',
  taskDefinition: OLD_TD,
  rolloutState: 'COMPLETED',
  createdAt: new Date('2020-05-22T09:00:00Z'),
  updatedAt: new Date('2020-05-22T09:05:00Z'),
});

/** The service rolling out web:3 over web:2 (DescribeServices), with overrides. */
const rollingOut = (overrides: Partial<ServiceState> = {}): ServiceState =>
  serviceState({
    taskDefinition: NEW_TD,
    deployments: [newDeployment, oldDeployment],
    ...overrides,
  });

/** How a task of the deployment stopped; each derives from the real arkime STOPPED event. */
type StopStory =
  | 'failed-to-start'
  | 'crashed'
  | 'health-check'
  | 'oom'
  | 'exited-0'
  | 'scale-in'
  | 'user-stop'
  | 'spot';

const STORIES: Record<StopStory, Parameters<typeof stoppedTask>[0]> = {
  'failed-to-start': {
    stopCode: 'TaskFailedToStart',
    stoppedReason:
      'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/web:3: not found',
    exitCode: undefined,
  },
  crashed: {
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    exitCode: 1,
  },
  'health-check': {
    stopCode: 'ServiceSchedulerInitiated',
    stoppedReason: `Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/web/0123456789abcdef)`,
    exitCode: 143,
  },
  oom: {
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    exitCode: 137,
    containerReason: 'OutOfMemoryError: Container killed due to memory usage',
  },
  'exited-0': {
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    exitCode: 0,
  },
  'scale-in': {},
  'user-stop': { stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user', exitCode: 143 },
  spot: {
    stopCode: 'SpotInterruption',
    stoppedReason: 'Your Spot Task was interrupted.',
    exitCode: 143,
  },
};

/**
 * A STOPPED task of default/servicetest, derived from the real arkime event by changing its
 * cluster, service, deployment, task definition and stop fields.
 */
const stoppedServiceTask = (
  story: StopStory,
  n = 1,
  changes: { startedBy?: string; taskDefinitionArn?: string; createdAt?: string } = {},
): Json => {
  const event = stoppedTask({
    ...STORIES[story],
    group: 'service:servicetest',
    startedBy: changes.startedBy ?? NEW_ID,
    taskDefinitionArn: changes.taskDefinitionArn ?? NEW_TD,
  });
  const detail = event.detail as Json;
  const taskArn = `${ARN}:task/default/${String(n).padStart(32, '0')}`;
  detail.clusterArn = `${ARN}:cluster/default`;
  detail.taskArn = taskArn;
  detail.createdAt = changes.createdAt ?? '2020-05-23T11:01:00Z';
  detail.stoppedAt = new Date(STARTED.getTime() + n * 60_000).toISOString();
  if (story === 'scale-in')
    detail.stoppedReason = `Scaling activity initiated by (deployment ${changes.startedBy ?? NEW_ID})`;
  return { ...event, account: '111122223333', region: 'us-west-2', resources: [taskArn] };
};

/** The task state (DescribeTasks shape) of a derived task event. */
const taskStateOf = (event: Json): TaskState => event.detail as TaskState;

/** A guard state for the given service and memory. */
const guardState = (
  ecs: ServiceState | undefined,
  options: {
    history?: Partial<ServiceGuardHistory>;
    stoppedTasks?: Json[];
    alarmStates?: Record<string, AlarmStateValue>;
    refs?: { deploymentId: string }[];
  } = {},
): GuardState => ({
  services: [
    {
      cluster: 'default',
      service: 'servicetest',
      ecs,
      settings: undefined,
      history: { watches: [], rollbacks: [], ...options.history },
      stoppedTasks: (options.stoppedTasks ?? []).map(taskStateOf),
    },
  ],
  alarmStates: options.alarmStates ?? {},
  refs: (options.refs ?? []).map((r) => ({ cluster: 'default', service: 'servicetest', ...r })),
});

/** A watch of the new deployment as the guard writes it when the deployment starts. */
const watchOf = (overrides: Partial<DeploymentWatch> = {}): DeploymentWatch => ({
  cluster: 'default',
  service: 'servicetest',
  deploymentId: NEW_ID,
  origin: 'deployment',
  taskDefinition: NEW_TD,
  previousTaskDefinition: OLD_TD,
  rollbackOf: undefined,
  startedAt: STARTED.toISOString(),
  deadlineAt: new Date(STARTED.getTime() + 30 * 60_000).toISOString(),
  completedAt: undefined,
  bakeUntil: undefined,
  alarms: [],
  ...overrides,
});

/** A rollback the guard made earlier on the service. */
const rollbackRecord = (overrides: Partial<RollbackRecord> = {}): RollbackRecord => ({
  cluster: 'default',
  service: 'servicetest',
  fromDeploymentId: 'ecs-svc/121',
  fromTaskDefinition: `${ARN}:task-definition/web:1`,
  toTaskDefinition: OLD_TD,
  trigger: 'failed-tasks',
  at: '2020-05-21T08:00:00Z',
  rollbackDeploymentId: 'ecs-svc/120',
  ...overrides,
});

/** The state as load builds it: each service ECS describes, with the guard's settings for it. */
const settled = (state: GuardState, config: Config): GuardState => ({
  ...state,
  services: state.services.map((s) => ({
    ...s,
    settings:
      s.settings ??
      (s.ecs && resolveGuardSettings(config.deploymentGuard, s.cluster, s.service, s.ecs)),
  })),
});

/** Parses an event as the guard does and decides on it, screened first as the pipeline does. */
const decide = (
  raw: Json,
  state: GuardState,
  input: ConfigInput = {},
  now: Date = NOW,
): Decision<GuardAction> => {
  const event = deploymentGuard.parse(raw) as GuardEvent;
  const screened = screenGuardEvent(event);
  if (screened) return ignore(screened);
  const config = parseConfig(input, 'test');
  return decideDeploymentGuard(event, settled(state, config), config, now);
};

/** A compact view of a decision's actions: "rollback-service web:2", "deployment-guard failing"... */
const summary = (decision: Decision<GuardAction>): string[] =>
  decision.actions.map((a: GuardAction) => {
    if (a.type === 'notify') {
      const alert = a.alert;
      return alert.kind === 'deployment-guard'
        ? `alert ${alert.event}`
        : alert.kind === 'deployment-event'
          ? `alert ${alert.phase}`
          : `alert ${(alert as { kind: string }).kind}`;
    }
    if (a.type === 'rollback') return `rollback to ${a.taskDefinition.split('/').pop()}`;
    if (a.type === 'watch-deployment' || a.type === 'update-watch' || a.type === 'end-watch')
      return `${a.type} ${a.watch.deploymentId}`;
    return (a as { type: string }).type;
  });

/** The deployment-state-change fixture with its deployment id (and reason) changed. */
const deploymentEvent = (name: string, changes: Json = {}): Json => {
  const event = fixture(name);
  return { ...event, detail: { ...(event.detail as Json), ...changes } };
};

export {
  decide,
  deploymentEvent,
  guardState,
  NEW_ID,
  NEW_TD,
  NOW,
  newDeployment,
  OLD_ID,
  OLD_TD,
  oldDeployment,
  rollbackRecord,
  rollingOut,
  STARTED,
  type StopStory,
  settled,
  stoppedServiceTask,
  summary,
  taskStateOf,
  watchOf,
};
