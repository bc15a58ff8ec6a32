import type { StopKind } from '#kernel/events/stopped-task.ts';

/** One task event of a deployment, as the breaker model reads it. */
interface TaskObservation {
  at: string;
  taskArn: string;
  lastStatus: string;
  /** The task had started (its event shows startedAt, or it is RUNNING). */
  started: boolean;
  stopKind: StopKind | undefined;
}

/** The service's `deploymentConfiguration.deploymentCircuitBreaker`, ECS's defaults filled in. */
interface BreakerConfig {
  enable: boolean;
  rollback: boolean;
  resetOnHealthyTask: boolean;
  thresholdType: 'BOUNDED_PERCENT' | 'UNBOUNDED_PERCENT' | 'COUNT';
  thresholdValue: number;
}

/** What ECS's deployment circuit breaker would have done with a deployment's recorded tasks. */
interface BreakerVerdict {
  threshold: number;
  /** How the threshold follows from the desired count: "max(3, min(200, ceil(4 × 50%))) = 3". */
  formula: string;
  enabled: boolean;
  rollback: boolean;
  /** When the count reached the threshold (the deployment would have FAILED). */
  tripsAt: string | undefined;
  /** Failures it counted (at the trip, or by the end of the recording). */
  counted: number;
  /** Failures it does not count, by kind (crashes and out-of-memory kills after RUNNING). */
  notCounted: Partial<Record<StopKind, number>>;
  /** When a healthy task reset the count and ended the evaluation. */
  resetAt: string | undefined;
  /** What the breaker cannot see in this deployment, in words. */
  blindSpots: string[];
}

/** Failures the breaker counts once a task ran: replacements after failed health checks. */
const STAGE_TWO: ReadonlySet<StopKind> = new Set(['health-check-failed']);
/**
 * How a task that ran may end without giving evidence that it was ever healthy: failing health
 * checks, or a person stopping it first. Any other end (a crash, a scale-in, Spot) or none by the
 * end of the recording is taken as having reached a healthy state (task events carry no health).
 */
const NO_HEALTH_EVIDENCE: ReadonlySet<StopKind> = new Set([
  'health-check-failed',
  'user-stopped',
  'unknown',
]);
/** Failures of tasks that ran and then exited: the breaker never counts them (containers-roadmap #1206). */
const UNCOUNTED: ReadonlySet<StopKind> = new Set(['crashed', 'out-of-memory']);

const DEFAULT_CONFIG: BreakerConfig = {
  enable: false,
  rollback: false,
  resetOnHealthyTask: true,
  thresholdType: 'BOUNDED_PERCENT',
  thresholdValue: 50,
};

/** Reads the breaker's configuration from a describe-services service (ECS's defaults otherwise). */
const breakerConfigOf = (service: Record<string, unknown> | undefined): BreakerConfig => {
  const deployment = (service?.deploymentConfiguration ?? {}) as Record<string, unknown>;
  const b = (deployment.deploymentCircuitBreaker ?? {}) as Record<string, unknown>;
  const t = (b.thresholdConfiguration ?? {}) as Record<string, unknown>;
  const types = ['BOUNDED_PERCENT', 'UNBOUNDED_PERCENT', 'COUNT'] as const;
  return {
    enable: b.enable === true,
    rollback: b.rollback === true,
    resetOnHealthyTask: b.resetOnHealthyTask !== false,
    thresholdType: types.find((x) => x === t.type) ?? DEFAULT_CONFIG.thresholdType,
    thresholdValue: typeof t.value === 'number' ? t.value : DEFAULT_CONFIG.thresholdValue,
  };
};

/**
 * The documented threshold: by default max(3, min(200, ceil(desired × 50%))); UNBOUNDED_PERCENT
 * drops the bounds and COUNT is the value itself (API_ThresholdConfiguration).
 */
const thresholdOf = (
  config: BreakerConfig,
  desired: number,
): { value: number; formula: string } => {
  if (config.thresholdType === 'COUNT')
    return { value: config.thresholdValue, formula: `COUNT ${config.thresholdValue}` };
  const raw = Math.ceil((desired * config.thresholdValue) / 100);
  const expression = `ceil(${desired} × ${config.thresholdValue}%)`;
  if (config.thresholdType === 'UNBOUNDED_PERCENT')
    return { value: Math.max(1, raw), formula: `${expression} = ${Math.max(1, raw)}` };
  const value = Math.max(3, Math.min(200, raw));
  return { value, formula: `max(3, min(200, ${expression})) = ${value}` };
};

/**
 * ECS's deployment circuit breaker, as its documentation describes it, run over a deployment's
 * recorded tasks: stage 1 counts tasks that stop before they run; once a task runs (stage 2),
 * tasks replaced after failing health checks count too; a task reaching a healthy state resets
 * the count and ends the evaluation (resetOnHealthyTask, default true); the deployment FAILS when
 * the count reaches the threshold. Task events carry no health status: see NO_HEALTH_EVIDENCE.
 */
const judgeBreaker = (
  tasks: readonly TaskObservation[],
  options: { config: BreakerConfig; desired: number; completed: boolean; hasTarget: boolean },
): BreakerVerdict => {
  const { config } = options;
  const { value: threshold, formula } = thresholdOf(config, options.desired);
  const finalStop = new Map<string, StopKind | undefined>();
  for (const t of tasks) if (t.lastStatus === 'STOPPED') finalStop.set(t.taskArn, t.stopKind);
  const running = new Set<string>();
  const stopped = new Set<string>();
  const notCounted: Partial<Record<StopKind, number>> = {};
  let count = 0;
  let evaluating = true;
  let tripsAt: string | undefined;
  let resetAt: string | undefined;
  for (const t of tasks) {
    if (tripsAt) break;
    if (t.started && !running.has(t.taskArn)) {
      // First sight of a task that ran (its RUNNING event, or a stop showing startedAt).
      running.add(t.taskArn);
      const end = finalStop.get(t.taskArn);
      const healthy = end === undefined || !NO_HEALTH_EVIDENCE.has(end);
      if (healthy && config.resetOnHealthyTask && evaluating) {
        count = 0;
        evaluating = false;
        resetAt = t.at;
      }
    }
    if (t.lastStatus !== 'STOPPED' || stopped.has(t.taskArn) || !t.stopKind) continue;
    stopped.add(t.taskArn);
    const neverRan = t.stopKind === 'failed-to-start';
    if (UNCOUNTED.has(t.stopKind)) notCounted[t.stopKind] = (notCounted[t.stopKind] ?? 0) + 1;
    if (!evaluating || !(neverRan || STAGE_TWO.has(t.stopKind))) continue;
    count += 1;
    if (count >= threshold) tripsAt = t.at;
  }
  const blindSpots: string[] = [];
  const crashed = (notCounted.crashed ?? 0) + (notCounted['out-of-memory'] ?? 0);
  if (crashed > 0)
    blindSpots.push(
      `${crashed} task${crashed === 1 ? '' : 's'} crashed or ran out of memory after running: the breaker does not count them (containers-roadmap #1206)`,
    );
  if (resetAt)
    blindSpots.push(
      `a task that ran at ${resetAt} (taken as healthy: task events carry no health status) reset the count to 0 and ended the evaluation (resetOnHealthyTask)`,
    );
  if (!tripsAt && !options.completed)
    blindSpots.push(
      'no deadline: a deployment that never reaches steady state without enough counted failures is never failed',
    );
  if (tripsAt && !options.hasTarget)
    blindSpots.push('nothing COMPLETED to roll back to: the deployment would stall, FAILED');
  return {
    threshold,
    formula,
    enabled: config.enable,
    rollback: config.rollback,
    tripsAt,
    counted: count,
    notCounted,
    resetAt,
    blindSpots,
  };
};

export {
  type BreakerConfig,
  type BreakerVerdict,
  breakerConfigOf,
  judgeBreaker,
  type TaskObservation,
  thresholdOf,
};
