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
