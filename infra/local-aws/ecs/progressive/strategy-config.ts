import { isObject, type JsonObject } from '../../core/input.ts';
import { ecsErrors } from '../ecs-context.ts';
import type { ServiceRecord } from '../ecs-types.ts';
import {
  type DeploymentStrategy,
  HOOK_STAGES,
  type HookStage,
  type LifecycleHookConfig,
  type ProgressiveConfig,
} from './progressive-types.ts';

// Ranges and defaults from the API reference: DeploymentConfiguration, CanaryConfiguration,
// LinearConfiguration, DeploymentLifecycleHook and DeploymentLifecycleHookTimeoutConfiguration,
// and the hook limits of the developer guide's "pause lifecycle hooks" page.
const STRATEGIES = new Set(['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY']);
const MAX_BAKE_MINUTES = 1440;
const LAMBDA_TIMEOUT_MAX = 1440;
const PAUSE_TIMEOUT_MAX = 20_160;
const DEFAULT_HOOK_TIMEOUT = 1440;
const MAX_HOOKS_PER_TYPE = 10;
const NOT_FOR_PAUSE = new Set<HookStage>(['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']);

const invalid = (message: string) => ecsErrors.invalid(message);

const minutes = (value: unknown, field: string, fallback: number, max: number): number => {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max)
    throw invalid(`${field} must be an integer between 0 and ${max}.`);
  return value;
};

// "Valid values are multiples of 0.1 from <min> to 100.0."
const percent = (value: unknown, field: string, fallback: number, min: number): number => {
  if (value === undefined || value === null) return fallback;
  const tenths = typeof value === 'number' ? Math.round(value * 10) : Number.NaN;
  if (
    typeof value !== 'number' ||
    Math.abs(tenths - value * 10) > 1e-9 ||
    value < min ||
    value > 100
  )
    throw invalid(`${field} must be a multiple of 0.1 from ${min} to 100.0.`);
  return tenths / 10;
};

/** The strategy a deployment configuration names (ROLLING when it names none). */
export const strategyOf = (config: JsonObject): DeploymentStrategy => {
  const strategy = config.strategy ?? 'ROLLING';
  return STRATEGIES.has(String(strategy)) ? (strategy as DeploymentStrategy) : 'ROLLING';
};

/** Whether the service deploys with BLUE_GREEN, LINEAR or CANARY (under the ECS controller). */
export const isProgressive = (service: ServiceRecord): boolean =>
  service.deploymentController.type === 'ECS' &&
  strategyOf(service.deploymentConfiguration) !== 'ROLLING';

const hookOf = (raw: unknown, index: number): LifecycleHookConfig => {
  const field = `deploymentConfiguration.lifecycleHooks[${index}]`;
  if (!isObject(raw)) throw invalid(`${field} must be an object.`);
  const targetType = raw.targetType ?? 'AWS_LAMBDA';
  if (targetType !== 'AWS_LAMBDA' && targetType !== 'PAUSE')
    throw invalid(`${field}.targetType must be AWS_LAMBDA or PAUSE.`);
  const stages = raw.lifecycleStages;
  if (!Array.isArray(stages) || stages.length === 0)
    throw invalid(`${field}.lifecycleStages must be provided.`);
  for (const stage of stages) {
    if (!HOOK_STAGES.includes(stage as HookStage))
      throw invalid(`${field}.lifecycleStages contains an invalid stage: ${String(stage)}.`);
    if (targetType === 'PAUSE' && NOT_FOR_PAUSE.has(stage as HookStage))
      throw invalid(
        `PAUSE hooks cannot be configured at ${String(stage)}. TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT are only valid for AWS_LAMBDA hooks.`,
      );
  }
  if (targetType === 'AWS_LAMBDA') {
    if (typeof raw.hookTargetArn !== 'string' || raw.hookTargetArn === '')
      throw invalid(`${field}.hookTargetArn must be provided for an AWS_LAMBDA lifecycle hook.`);
    // ECS assumes this role to invoke the function.
    if (typeof raw.roleArn !== 'string' || raw.roleArn === '')
      throw invalid(`${field}.roleArn must be provided for an AWS_LAMBDA lifecycle hook.`);
  }
  const timeout = isObject(raw.timeoutConfiguration) ? raw.timeoutConfiguration : {};
  const max = targetType === 'PAUSE' ? PAUSE_TIMEOUT_MAX : LAMBDA_TIMEOUT_MAX;
  const timeoutInMinutes = timeout.timeoutInMinutes ?? DEFAULT_HOOK_TIMEOUT;
  if (
    typeof timeoutInMinutes !== 'number' ||
    !Number.isInteger(timeoutInMinutes) ||
    timeoutInMinutes < 1 ||
    timeoutInMinutes > max
  )
    throw invalid(`${field}.timeoutConfiguration.timeoutInMinutes must be between 1 and ${max}.`);
  const action = timeout.action ?? 'ROLLBACK';
  if (action !== 'ROLLBACK' && action !== 'CONTINUE')
    throw invalid(`${field}.timeoutConfiguration.action must be ROLLBACK or CONTINUE.`);
  return {
    targetType,
    lifecycleStages: [...new Set(stages as HookStage[])],
    timeoutInMinutes,
    timeoutAction: action,
    ...(targetType === 'AWS_LAMBDA'
      ? { hookTargetArn: String(raw.hookTargetArn), roleArn: String(raw.roleArn) }
      : {}),
    ...(raw.hookDetails === undefined || targetType === 'PAUSE'
      ? {}
      : { hookDetails: raw.hookDetails }),
  };
};

/** Validated, normalised lifecycle hooks of a deployment configuration. */
export const lifecycleHooksOf = (config: JsonObject): LifecycleHookConfig[] => {
  if (config.lifecycleHooks === undefined || config.lifecycleHooks === null) return [];
  if (!Array.isArray(config.lifecycleHooks))
    throw invalid('deploymentConfiguration.lifecycleHooks must be a list.');
  const hooks = config.lifecycleHooks.map(hookOf);
  for (const type of ['AWS_LAMBDA', 'PAUSE'] as const) {
    if (hooks.filter((h) => h.targetType === type).length > MAX_HOOKS_PER_TYPE)
      throw invalid(`A service can have at most ${MAX_HOOKS_PER_TYPE} ${type} lifecycle hooks.`);
  }
  return hooks;
};

/** Production weights of green after each step, with the bake time after each. */
const stepsOf = (
  strategy: ProgressiveConfig['strategy'],
  config: JsonObject,
): { steps: number[]; stepBakeMinutes: number[] } => {
  if (strategy === 'CANARY') {
    const canary = isObject(config.canaryConfiguration) ? config.canaryConfiguration : {};
    const share = percent(canary.canaryPercent, 'canaryConfiguration.canaryPercent', 5, 0.1);
    const bake = minutes(
      canary.canaryBakeTimeInMinutes,
      'canaryConfiguration.canaryBakeTimeInMinutes',
      10,
      MAX_BAKE_MINUTES,
    );
    return share >= 100
      ? { steps: [100], stepBakeMinutes: [0] }
      : { steps: [share, 100], stepBakeMinutes: [bake, 0] };
  }
  if (strategy === 'LINEAR') {
    const linear = isObject(config.linearConfiguration) ? config.linearConfiguration : {};
    const step = percent(linear.stepPercent, 'linearConfiguration.stepPercent', 10, 3);
    const bake = minutes(
      linear.stepBakeTimeInMinutes,
      'linearConfiguration.stepBakeTimeInMinutes',
      6,
      MAX_BAKE_MINUTES,
    );
    const steps: number[] = [];
    for (let k = 1; Math.round(step * k * 10) / 10 < 100; k += 1)
      steps.push(Math.round(step * k * 10) / 10);
    steps.push(100);
    // "This bake time is not applied after reaching 100 percent traffic."
    return { steps, stepBakeMinutes: steps.map((w) => (w < 100 ? bake : 0)) };
  }
  return { steps: [100], stepBakeMinutes: [0] };
};

/** The effective configuration of a progressive deployment (throws for invalid values). */
export const progressiveConfigOf = (config: JsonObject): ProgressiveConfig => {
  const strategy = strategyOf(config);
  if (strategy === 'ROLLING')
    throw invalid('The ROLLING strategy has no progressive configuration.');
  return {
    strategy,
    bakeTimeInMinutes: minutes(
      config.bakeTimeInMinutes,
      'deploymentConfiguration.bakeTimeInMinutes',
      0,
      MAX_BAKE_MINUTES,
    ),
    ...stepsOf(strategy, config),
    hooks: lifecycleHooksOf(config),
  };
};

/**
 * Checks a service's strategy settings as CreateService/UpdateService do: the strategy value, the
 * ECS controller, the ranges, the hooks, and the load balancers' advancedConfiguration (the
 * alternate target group, the production listener rule and the role ECS uses to call ELB).
 */
export const checkStrategy = (
  config: JsonObject,
  controller: string,
  loadBalancers: JsonObject[],
): void => {
  const strategy = config.strategy;
  if (strategy !== undefined && !STRATEGIES.has(String(strategy)))
    throw invalid(`Invalid deployment strategy: ${String(strategy)}.`);
  lifecycleHooksOf(config);
  if (strategyOf(config) === 'ROLLING') return;
  if (controller !== 'ECS')
    throw invalid(
      `The ${String(strategy)} deployment strategy requires the ECS deployment controller.`,
    );
  progressiveConfigOf(config);
  if ((strategy === 'LINEAR' || strategy === 'CANARY') && loadBalancers.length === 0)
    throw invalid(`The ${String(strategy)} deployment strategy requires a load balancer.`);
  for (const [index, lb] of loadBalancers.entries()) {
    const advanced = isObject(lb.advancedConfiguration) ? lb.advancedConfiguration : undefined;
    const field = `loadBalancers[${index}].advancedConfiguration`;
    if (advanced === undefined)
      throw invalid(`${field} must be provided for the ${String(strategy)} deployment strategy.`);
    for (const key of ['alternateTargetGroupArn', 'productionListenerRule', 'roleArn']) {
      if (typeof advanced[key] !== 'string' || advanced[key] === '')
        throw invalid(`${field}.${key} must be provided.`);
    }
    if (advanced.alternateTargetGroupArn === lb.targetGroupArn)
      throw invalid(`${field}.alternateTargetGroupArn must differ from targetGroupArn.`);
  }
};
