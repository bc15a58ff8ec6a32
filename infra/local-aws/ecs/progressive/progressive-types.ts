import type { TimerHandle } from '../../core/clock.ts';
import type { JsonObject } from '../../core/input.ts';

/** `deploymentConfiguration.strategy` values. */
export type DeploymentStrategy = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

/** Stages a lifecycle hook can be configured at (DeploymentLifecycleHook.lifecycleStages). */
export const HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;

/** A stage a hook can run at. */
export type HookStage = (typeof HOOK_STAGES)[number];

/** A stage a service deployment reports in `lifecycleStage` (hook stages plus three of its own). */
export type LifecycleStage = HookStage | 'SCALE_UP' | 'BAKE_TIME' | 'CLEAN_UP';

/** ServiceDeploymentStatus values. */
export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

/** One configured lifecycle hook, normalised (defaults applied). */
export interface LifecycleHookConfig {
  targetType: 'AWS_LAMBDA' | 'PAUSE';
  hookTargetArn?: string;
  roleArn?: string;
  lifecycleStages: HookStage[];
  hookDetails?: unknown;
  timeoutInMinutes: number;
  timeoutAction: 'ROLLBACK' | 'CONTINUE';
}

/** The effective progressive-delivery configuration of a service deployment. */
export interface ProgressiveConfig {
  strategy: Exclude<DeploymentStrategy, 'ROLLING'>;
  bakeTimeInMinutes: number;
  /** Production weights of green after each traffic shift step (the last is 100). */
  steps: number[];
  /** Minutes to wait after each step (0 after the last). */
  stepBakeMinutes: number[];
  hooks: LifecycleHookConfig[];
}

/** A service revision (DescribeServiceRevisions). */
export interface ServiceRevisionRecord {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  /** The `ecs-svc/…` deployment (DescribeServices `deployments[]`) that runs its tasks. */
  deploymentId: string;
  createdAt: number;
  launchType?: string;
  capacityProviderStrategy?: JsonObject[];
  platformVersion?: string;
  platformFamily?: string;
  networkConfiguration?: JsonObject;
  loadBalancers: JsonObject[];
  containerImages: JsonObject[];
  /** The target group that serves this revision (resolvedConfiguration). */
  targetGroupArn?: string;
  productionListenerRule?: string;
}

/** One execution of one hook at one stage (or traffic step): `lifecycleHookDetails[]`. */
export interface HookExecution {
  hookId: string;
  hook: LifecycleHookConfig;
  stage: HookStage;
  status: 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  expiresAt: number;
  /** Lambda hooks: the executionId sent on every invocation of this execution. */
  executionId: string;
  /** Lambda hooks: hookDetails merged from the configuration and IN_PROGRESS answers. */
  details?: unknown;
  timers: TimerHandle[];
}

/** What a deployment does on entering a phase of its plan. */
export type PhaseAction =
  | 'none'
  | 'reconcile'
  | 'scale-up'
  | 'test-shift'
  | 'shift'
  | 'bake'
  | 'clean-up'
  | 'shift-back'
  | 'test-back'
  | 'scale-down-green';

/** One phase of a deployment's plan: a stage, what happens in it, and whether hooks run. */
export interface DeploymentPhase {
  stage: LifecycleStage;
  action: PhaseAction;
  hooks: boolean;
  /** Green's production weight after a `shift`. */
  weight?: number;
  /** Minutes of a `bake`. */
  minutes?: number;
}

/** A service deployment of the BLUE_GREEN, LINEAR or CANARY strategy and the engine's state. */
export interface ServiceDeploymentRecord {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  stoppedAt?: number;
  updatedAt: number;
  sourceRevisionArns: string[];
  targetRevisionArn: string;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  lifecycleStage?: LifecycleStage;
  deploymentConfiguration: JsonObject;
  rollback?: { reason: string; startedAt: number; serviceRevisionArn?: string };
  config: ProgressiveConfig;
  /** Hook executions of the current stage. */
  hooks: HookExecution[];
  /** Every hook execution of the deployment, oldest first. */
  hookHistory: HookExecution[];
  /** The phases the deployment goes through (the rollback's once it rolls back). */
  plan: DeploymentPhase[];
  phaseIndex: number;
  /** What the current phase waits for the scheduler to finish, if anything. */
  waiting?: 'reconcile' | 'scale-up' | 'clean-up' | 'scale-down-green';
  rollingBack: boolean;
  /** Bumped whenever the deployment leaves a phase, so stale timers and answers are ignored. */
  epoch: number;
  timers: TimerHandle[];
  /** Green's `ecs-svc/…` deployment id and blue's (none on a service's first deployment). */
  greenDeploymentId: string;
  blueDeploymentId?: string;
  blueRevisionArn?: string;
  /** Deployments superseded by this one whose tasks RECONCILE_SERVICE scales in. */
  supersededDeploymentIds: string[];
  /** Production weight of green before the current step (for PRE_PRODUCTION_TRAFFIC_SHIFT). */
  greenProductionWeight: number;
}
