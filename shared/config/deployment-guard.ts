import * as z from 'zod/mini';
import { list, opt } from '../events/schema-helpers.ts';

/** What a trigger does when it fires: roll back, only alert, or nothing. */
const GUARD_MODES = ['rollback', 'notify', 'off'] as const;
type GuardMode = (typeof GUARD_MODES)[number];

/** What the guard does about an alarm already in ALARM when a deployment starts. */
const ALREADY_IN_ALARM = ['report', 'act'] as const;

const mode = () => z.enum(GUARD_MODES);
const int = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));
const withDefault = z._default;
const alarmName = () => z.string().check(z.minLength(1), z.maxLength(255));
// ECS cluster and service names: letters, digits, hyphens and underscores; "*" matches any.
const ecsName = () =>
  z
    .string()
    .check(
      z.regex(
        /^(\*|[A-Za-z0-9_-]{1,255})$/,
        'expected an ECS name (letters, digits, - and _) or *',
      ),
    );

/** The global layer: every field has a default. */
const globalLayer = {
  /** The mode of every trigger that does not set its own. */
  mode: withDefault(mode(), 'rollback'),
  /** Failed tasks attributable to the new deployment, counted cumulatively. */
  failedTasks: z.prefault(
    z.strictObject({ mode: opt(mode()), count: withDefault(int(1, 200), 3) }),
    {},
  ),
  /** The deployment must be COMPLETED within this many minutes of its start. */
  deadline: z.prefault(
    z.strictObject({ mode: opt(mode()), minutes: withDefault(int(1, 1440), 30) }),
    {},
  ),
  /** CloudWatch alarms watched during the deployment and its bake time. */
  alarms: z.prefault(
    z.strictObject({
      mode: opt(mode()),
      names: withDefault(list(alarmName(), 100), []),
      /** Also watch the alarms the service names in deploymentConfiguration.alarms. */
      useServiceAlarms: withDefault(z.boolean(), true),
      alreadyInAlarm: withDefault(z.enum(ALREADY_IN_ALARM), 'report'),
    }),
    {},
  ),
  /** SERVICE_DEPLOYMENT_FAILED from ECS when ECS does not roll back by itself. */
  ecsFailure: z.prefault(z.strictObject({ mode: opt(mode()) }), {}),
  /** Minutes after COMPLETED during which alarms and failed tasks still count. */
  bakeMinutes: withDefault(int(0, 1440), 10),
};

/** A per-service layer: matches cluster and service names; every setting is optional. */
const serviceLayer = () =>
  z.strictObject({
    cluster: withDefault(ecsName(), '*'),
    service: ecsName(),
    mode: opt(mode()),
    failedTasks: opt(z.strictObject({ mode: opt(mode()), count: opt(int(1, 200)) })),
    deadline: opt(z.strictObject({ mode: opt(mode()), minutes: opt(int(1, 1440)) })),
    alarms: opt(
      z.strictObject({
        mode: opt(mode()),
        names: opt(list(alarmName(), 100)),
        useServiceAlarms: opt(z.boolean()),
        alreadyInAlarm: opt(z.enum(ALREADY_IN_ALARM)),
      }),
    ),
    ecsFailure: opt(z.strictObject({ mode: opt(mode()) })),
    bakeMinutes: opt(int(0, 1440)),
  });

/** The `deploymentGuard` section of harbormaster.yml. */
const deploymentGuardSchema = z.strictObject({
  ...globalLayer,
  /** Per-service settings, applied in order over the global ones (service tags apply last). */
  services: withDefault(list(serviceLayer(), 500), []),
});

type DeploymentGuardConfig = z.infer<typeof deploymentGuardSchema>;
type ServiceGuardLayer = z.infer<ReturnType<typeof serviceLayer>>;

export {
  ALREADY_IN_ALARM,
  type DeploymentGuardConfig,
  deploymentGuardSchema,
  GUARD_MODES,
  type GuardMode,
  type ServiceGuardLayer,
};
