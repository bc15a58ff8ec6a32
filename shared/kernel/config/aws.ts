import * as v from 'valibot';
import { int, lazy } from '../events/schema-helpers.ts';
import type { ScopeConfig } from './scope.ts';

/** The `aws` section: how every AWS SDK client is built. */
const awsSection = lazy(() =>
  v.optional(
    v.strictObject({
      /** Attempts per AWS call, including the first; the SDK retries throttling and 5xx in between. */
      maxAttempts: v.optional(int(1, 10), 4),
      retryMode: v.optional(v.picklist(['standard', 'adaptive']), 'standard'),
      connectionTimeoutMs: v.optional(int(100, 30_000), 2_000),
      requestTimeoutMs: v.optional(int(100, 60_000), 5_000),
      /**
       * Harbormaster's ECS call budget, shared by all its functions in the account and Region
       * (shared/aws/ecs/call-budget.ts). Calls: half the sustained rate (20 a second) of the
       * request buckets it reads from (services, tasks, task definitions). Changes: under
       * UpdateService's 5 a second; task definition changes refill at 1 a second from a bucket
       * of 20, which occasional deregistrations do not drain. Figures from
       * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html
       */
      ecsBudget: v.optional(
        v.strictObject({
          /** Every ECS call, all functions together, per second. */
          callsPerSecond: v.optional(int(1, 100), 10),
          /** Of which changes (UpdateService, DeregisterTaskDefinition, TagResource, stops and continues of service deployments). */
          changesPerSecond: v.optional(int(1, 50), 2),
          /** How long a call may wait for the budget before failing retryably. */
          maxWaitMs: v.optional(int(0, 600_000), 10_000),
        }),
        {},
      ),
    }),
    {},
  ),
);

/** The `dryRun` switch: when true, every function logs and returns its actions, and takes none. */
const dryRunSection = lazy(() => v.optional(v.boolean(), false));

export { awsSection, dryRunSection };

/** The `aws` section as validated. */
type AwsConfig = v.InferOutput<ReturnType<typeof awsSection>>;

/** What the kernel reads of every function's configuration. */
interface KernelConfig {
  dryRun: boolean;
  aws: AwsConfig;
  /** Where events may come from (absent: from anywhere, as in offline replays of old configs). */
  scope?: ScopeConfig;
}

export type { AwsConfig, KernelConfig };
