import * as v from 'valibot';
import { int, lazy } from '#kernel/events/schema-helpers.ts';

/**
 * How many copies of each function may run at once, reserved for it: a storm of ECS events
 * (thousands of tasks stopping) queues up in Lambda's asynchronous queue instead of taking every
 * execution the account has, and the account's other functions cannot starve Harbormaster either.
 * Throttled events are retried by Lambda for up to maximumEventAge (an hour), then dead-lettered.
 */
const DEFAULT_RESERVED_CONCURRENCY: Readonly<Record<string, number>> = {
  'service-alerts': 5,
  'deployment-guard': 10,
  // ECS invokes it synchronously, a few times per deployment stage, each answer in well under a
  // second; how ECS treats a throttled hook invocation is not documented (it may roll back).
  'deployment-hooks': 10,
  'policy-enforcer': 10,
  'batch-jobs': 10,
  'dead-letters': 2,
  'chat-actions': 5,
};

/** The `reservedConcurrency` section: function name -> reserved executions (1 to 1,000). */
const reservedConcurrencySection = lazy(() =>
  v.optional(
    v.record(
      v.pipe(v.string(), v.picklist(Object.keys(DEFAULT_RESERVED_CONCURRENCY))),
      int(1, 1_000),
    ),
    {},
  ),
);

export { DEFAULT_RESERVED_CONCURRENCY, reservedConcurrencySection };
