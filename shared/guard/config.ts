import * as v from 'valibot';
import type { AlertsConfig } from '#alerts/config.ts';
import { int, lazy, list, opt } from '#kernel/events/schema-helpers.ts';

/** What a trigger does when it fires: roll back, only alert, or nothing. */
const GUARD_MODES = ['rollback', 'notify', 'off'] as const;
type GuardMode = (typeof GUARD_MODES)[number];

/** What the guard does about an alarm already in ALARM when a deployment starts. */
const ALREADY_IN_ALARM = ['report', 'act'] as const;

/**
 * A blue/green, linear or canary deployment a trigger fires on after CLEAN_UP removed blue: roll
 * back with a new deployment of the previous revision, or only alert.
 */
const AFTER_CLEAN_UP = ['redeploy', 'alert'] as const;

const mode = () => v.picklist(GUARD_MODES);
const alarmName = () => v.pipe(v.string(), v.minLength(1), v.maxLength(255));
// ECS cluster and service names: letters, digits, hyphens and underscores; "*" matches any.
const ecsName = () =>
  v.pipe(
    v.string(),
    v.regex(/^(\*|[A-Za-z0-9_-]{1,255})$/, 'expected an ECS name (letters, digits, - and _) or *'),
  );

/** The global layer: every field has a default. */
const globalLayer = () => ({
  /** The mode of every trigger that does not set its own. */
  mode: v.optional(mode(), 'rollback'),
  /** Failed tasks attributable to the new deployment, counted cumulatively. */
  failedTasks: v.optional(
    v.strictObject({ mode: opt(mode()), count: v.optional(int(1, 200), 3) }),
    {},
  ),
  /** The deployment must be COMPLETED within this many minutes of its start. */
  deadline: v.optional(
    v.strictObject({ mode: opt(mode()), minutes: v.optional(int(1, 1440), 30) }),
    {},
  ),
  /** CloudWatch alarms watched during the deployment and its bake time. */
  alarms: v.optional(
    v.strictObject({
      mode: opt(mode()),
      names: v.optional(list(alarmName(), 100), []),
      /** Also watch the alarms the service names in deploymentConfiguration.alarms. */
      useServiceAlarms: v.optional(v.boolean(), true),
      alreadyInAlarm: v.optional(v.picklist(ALREADY_IN_ALARM), 'report'),
    }),
    {},
  ),
  /** SERVICE_DEPLOYMENT_FAILED from ECS when ECS does not roll back by itself. */
  ecsFailure: v.optional(v.strictObject({ mode: opt(mode()) }), {}),
  /** Minutes after COMPLETED during which alarms and failed tasks still count. */
  bakeMinutes: v.optional(int(0, 1440), 10),
  afterCleanUp: v.optional(v.picklist(AFTER_CLEAN_UP), 'redeploy'),
});

/** A per-service layer: matches cluster and service names; every setting is optional. */
const serviceLayer = () =>
  v.strictObject({
    cluster: v.optional(ecsName(), '*'),
    service: ecsName(),
    mode: opt(mode()),
    failedTasks: opt(v.strictObject({ mode: opt(mode()), count: opt(int(1, 200)) })),
    deadline: opt(v.strictObject({ mode: opt(mode()), minutes: opt(int(1, 1440)) })),
    alarms: opt(
      v.strictObject({
        mode: opt(mode()),
        names: opt(list(alarmName(), 100)),
        useServiceAlarms: opt(v.boolean()),
        alreadyInAlarm: opt(v.picklist(ALREADY_IN_ALARM)),
      }),
    ),
    ecsFailure: opt(v.strictObject({ mode: opt(mode()) })),
    bakeMinutes: opt(int(0, 1440)),
    afterCleanUp: opt(v.picklist(AFTER_CLEAN_UP)),
  });

/** The `deploymentGuard` section of harbormaster.yml. */
const deploymentGuardSchema = lazy(() =>
  v.strictObject({
    ...globalLayer(),
    /** Per-service settings, applied in order over the global ones (service tags apply last). */
    services: v.optional(list(serviceLayer(), 500), []),
  }),
);

/** The `deploymentGuard` section, with its default. */
const deploymentGuardSection = lazy(() => v.optional(deploymentGuardSchema(), {}));

type DeploymentGuardConfig = v.InferOutput<ReturnType<typeof deploymentGuardSchema>>;
type ServiceGuardLayer = v.InferOutput<ReturnType<typeof serviceLayer>>;

/** The configuration the deployment guard's decisions read. */
interface GuardConfig {
  deploymentGuard: DeploymentGuardConfig;
  alerts: AlertsConfig;
}

export {
  ALREADY_IN_ALARM,
  type DeploymentGuardConfig,
  deploymentGuardSection,
  GUARD_MODES,
  type GuardConfig,
  type GuardMode,
  type ServiceGuardLayer,
};
