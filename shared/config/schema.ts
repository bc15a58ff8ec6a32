import * as z from 'zod/mini';
import { SEVERITIES } from '../core/alert.ts';
import { list, opt } from '../events/schema-helpers.ts';
import { batchJobsSchema } from './batch-jobs.ts';
import { deploymentGuardSchema } from './deployment-guard.ts';
import { enforcementSchema, policiesSchema } from './policies.ts';

const severity = () => z.enum(SEVERITIES);
const int = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));
const withDefault = z._default;

const awsClients = z.strictObject({
  /** Attempts per AWS call, including the first; the SDK retries throttling and 5xx in between. */
  maxAttempts: withDefault(int(1, 10), 4),
  retryMode: withDefault(z.enum(['standard', 'adaptive']), 'standard'),
  connectionTimeoutMs: withDefault(int(100, 30_000), 2_000),
  requestTimeoutMs: withDefault(int(100, 60_000), 5_000),
});

const slack = z.strictObject({
  /** An SSM parameter name, or /aws/reference/secretsmanager/<secret> for a Secrets Manager secret. */
  webhookUrlParameter: z
    .string()
    .check(
      z.regex(
        /^\/[\w.\-/]+$/,
        'expected an SSM parameter name such as /harbormaster/slack-webhook',
      ),
    ),
  minimumSeverity: withDefault(severity(), 'warning'),
  timeoutMs: withDefault(int(500, 20_000), 5_000),
  /** How long a 429 Retry-After may be waited out in the same invocation before retrying later. */
  maxRetryAfterSeconds: withDefault(int(0, 60), 10),
});

const alerts = z.strictObject({
  sns: z.prefault(
    z.strictObject({
      enabled: withDefault(z.boolean(), true),
      minimumSeverity: withDefault(severity(), 'info'),
    }),
    {},
  ),
  slack: opt(slack),
  /** Repeats of the same service event (same service, event and reason) inside this window are dropped. */
  dedupWindowMinutes: withDefault(int(0, 24 * 60), 60),
  serviceEvents: z.prefault(
    z.strictObject({
      eventTypes: withDefault(list(z.enum(['INFO', 'WARN', 'ERROR']), 3).check(z.minLength(1)), [
        'WARN',
        'ERROR',
      ]),
      ignore: withDefault(
        list(z.string().check(z.regex(/^[A-Z_]+$/, 'expected an ECS event name')), 100),
        [],
      ),
    }),
    {},
  ),
  deploymentEvents: z.prefault(z.strictObject({ enabled: withDefault(z.boolean(), true) }), {}),
});

/** The Harbormaster configuration file (harbormaster.yml), with every default filled in. */
const configSchema = z.strictObject({
  /** When true, every function logs and returns the actions it would take, and takes none. */
  dryRun: withDefault(z.boolean(), false),
  batchJobs: z.prefault(batchJobsSchema, {}),
  aws: z.prefault(awsClients, {}),
  alerts: z.prefault(alerts, {}),
  enforcement: enforcementSchema,
  policies: policiesSchema,
  deploymentGuard: z.prefault(deploymentGuardSchema, {}),
});

type Config = z.infer<typeof configSchema>;
type ConfigInput = z.input<typeof configSchema>;

export { type Config, type ConfigInput, configSchema };
