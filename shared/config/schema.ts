import * as z from 'zod';
import { SEVERITIES } from '../core/alert.ts';

const severity = z.enum(SEVERITIES);
const minutes = (max: number) => z.number().int().min(0).max(max);

const awsClients = z.strictObject({
  /** Attempts per AWS call, including the first; the SDK retries throttling and 5xx in between. */
  maxAttempts: z.number().int().min(1).max(10).default(4),
  retryMode: z.enum(['standard', 'adaptive']).default('standard'),
  connectionTimeoutMs: z.number().int().min(100).max(30_000).default(2_000),
  requestTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
});

const slack = z.strictObject({
  /** An SSM parameter name, or /aws/reference/secretsmanager/<secret> for a Secrets Manager secret. */
  webhookUrlParameter: z
    .string()
    .regex(/^\/[\w.\-/]+$/, 'expected an SSM parameter name such as /harbormaster/slack-webhook'),
  minimumSeverity: severity.default('warning'),
  timeoutMs: z.number().int().min(500).max(20_000).default(5_000),
  /** How long a 429 Retry-After may be waited out in the same invocation before retrying later. */
  maxRetryAfterSeconds: z.number().int().min(0).max(60).default(10),
});

const alerts = z.strictObject({
  sns: z
    .strictObject({ enabled: z.boolean().default(true), minimumSeverity: severity.default('info') })
    .prefault({}),
  slack: slack.optional(),
  /** Repeats of the same service event (same service, event and reason) inside this window are dropped. */
  dedupWindowMinutes: minutes(24 * 60).default(60),
  serviceEvents: z
    .strictObject({
      eventTypes: z
        .array(z.enum(['INFO', 'WARN', 'ERROR']))
        .min(1)
        .default(['WARN', 'ERROR']),
      ignore: z.array(z.string().regex(/^[A-Z_]+$/, 'expected an ECS event name')).default([]),
    })
    .prefault({}),
  deploymentEvents: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
});

/** The Harbormaster configuration file (harbormaster.yml), with every default filled in. */
const configSchema = z.strictObject({
  /** When true, every function logs and returns the actions it would take, and takes none. */
  dryRun: z.boolean().default(false),
  aws: awsClients.prefault({}),
  alerts: alerts.prefault({}),
});

type Config = z.infer<typeof configSchema>;
type ConfigInput = z.input<typeof configSchema>;

export { type Config, type ConfigInput, configSchema };
