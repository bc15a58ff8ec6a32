import * as v from 'valibot';
import type { AlertsConfig } from '#alerts/config.ts';
import { int, lazy, list, opt } from '#kernel/events/schema-helpers.ts';
import { analysesSchema, DEFAULT_ANALYSES } from './analysis/config.ts';

/** What a gate does with its verdict: act on it (FAILED rolls back), only alert, or nothing. */
const GATE_MODES = ['enforce', 'notify', 'off'] as const;
type GateMode = (typeof GATE_MODES)[number];

/** The stages the analysis gate judges at (hooks may be registered at each). */
const ANALYSIS_STAGES = [
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;

/** The stages a pause hook may wait at (pause-lifecycle-hooks.html; not the traffic shifts). */
const PAUSE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;

const mode = () => v.picklist(GATE_MODES);
const ecsName = () =>
  v.pipe(
    v.string(),
    v.regex(/^(\*|[A-Za-z0-9_-]{1,255})$/, 'expected an ECS name (letters, digits, - and _) or *'),
  );
const stages = <T extends readonly string[]>(values: T) =>
  v.pipe(
    list(v.picklist(values), values.length),
    v.check((s) => new Set(s).size === s.length, 'a stage is named twice'),
  );

const analysisGate = () => ({
  mode: opt(mode()),
  /** The stages `harbormaster hooks` registers the hook at for the analysis gate. */
  stages: opt(stages(ANALYSIS_STAGES)),
  /** What an inconclusive analysis (too little traffic, no data) does: pass with a warning, or fail. */
  onInconclusive: opt(v.picklist(['pass', 'fail'])),
  /** Replaces the analyses of the layers before. */
  analyses: opt(analysesSchema()),
});

const approvals = () => ({
  /** Where `harbormaster hooks` adds a pause hook (an approval) for the service. */
  stages: opt(stages(PAUSE_STAGES)),
  timeoutInMinutes: opt(int(1, 20_160)),
  /** What ECS does when nobody answers in time (its default: ROLLBACK). */
  timeoutAction: opt(v.picklist(['ROLLBACK', 'CONTINUE'])),
});

const serviceLayer = () =>
  v.strictObject({
    cluster: v.optional(ecsName(), '*'),
    service: ecsName(),
    mode: opt(mode()),
    policyGate: opt(v.strictObject({ mode: opt(mode()) })),
    analysisGate: opt(v.strictObject(analysisGate())),
    approvals: opt(v.strictObject(approvals())),
  });

/** The `delivery` section of harbormaster.yml: the lifecycle-hook gates and approvals. */
const deliverySchema = lazy(() =>
  v.strictObject({
    /** The mode of every gate that does not set its own. */
    mode: v.optional(mode(), 'enforce'),
    policyGate: v.optional(v.strictObject({ mode: opt(mode()) }), {}),
    analysisGate: v.optional(
      v.strictObject({
        ...analysisGate(),
        stages: v.optional(stages(ANALYSIS_STAGES), [
          'POST_TEST_TRAFFIC_SHIFT',
          'PRE_PRODUCTION_TRAFFIC_SHIFT',
        ]),
        onInconclusive: v.optional(v.picklist(['pass', 'fail']), 'pass'),
        analyses: v.optional(analysesSchema(), DEFAULT_ANALYSES),
        /** How long after a minute ends CloudWatch has its ALB data (ALB metrics arrive in about a minute). */
        dataDelaySeconds: v.optional(int(0, 600), 60),
      }),
      {},
    ),
    approvals: v.optional(
      v.strictObject({
        stages: v.optional(stages(PAUSE_STAGES), []),
        timeoutInMinutes: v.optional(int(1, 20_160), 1440),
        timeoutAction: v.optional(v.picklist(['ROLLBACK', 'CONTINUE']), 'ROLLBACK'),
      }),
      {},
    ),
    /** Per-service settings, applied in order over the global ones (service tags apply last). */
    services: v.optional(list(serviceLayer(), 500), []),
  }),
);

/** The `delivery` section, with its default. */
const deliverySection = lazy(() => v.optional(deliverySchema(), {}));

type DeliveryConfig = v.InferOutput<ReturnType<typeof deliverySchema>>;
type DeliveryServiceLayer = v.InferOutput<ReturnType<typeof serviceLayer>>;

export type { AlertsConfig };
export {
  ANALYSIS_STAGES,
  type DeliveryConfig,
  type DeliveryServiceLayer,
  deliverySection,
  GATE_MODES,
  type GateMode,
  PAUSE_STAGES,
};
