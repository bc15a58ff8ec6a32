import * as z from 'zod/mini';
import type { FieldIssue } from '../core/errors.ts';
import { list, opt } from '../events/schema-helpers.ts';
import { parseScheduleExpression } from '../schedule/schedule-expression.ts';
import { isTimeZone } from '../schedule/zoned-time.ts';

const int = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));
const withDefault = z._default;

// Job names become schedule names ([0-9a-zA-Z-_.]) and part of RunTask's startedBy ([A-Za-z0-9/_-]).
const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/;
const CLUSTER =
  /^([A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]{1,255})$/;
const TASK_DEFINITION =
  /^([A-Za-z0-9_-]{1,255}(:\d+)?|arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+)$/;
const ROLE = /^(arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}|[\w+=,.@-]{1,64})$/;
const MAX_OVERRIDES_CHARACTERS = 8192;
// RunTask takes at most 50 tags; Harbormaster adds its own two.
const MAX_USER_TAGS = 48;

const containerOverride = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(255)),
  command: opt(list(z.string().check(z.maxLength(8192)), 1000)),
  environment: opt(z.record(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/)), z.string())),
});

const network = z.strictObject({
  subnets: list(z.string().check(z.regex(/^subnet-[0-9a-f]+$/, 'expected a subnet id')), 16).check(
    z.minLength(1, 'name at least one subnet'),
  ),
  securityGroups: withDefault(
    list(z.string().check(z.regex(/^sg-[0-9a-f]+$/, 'expected a security group id')), 5),
    [],
  ),
  assignPublicIp: withDefault(z.enum(['ENABLED', 'DISABLED']), 'DISABLED'),
});

const retries = z.strictObject({
  /** Retries per task after its first attempt (AWS Batch counts attempts; this counts retries). */
  attempts: withDefault(int(0, 10), 2),
  /** Wait before the first retry; each further retry waits `backoffMultiplier` times longer. */
  backoffSeconds: withDefault(int(0, 3600), 60),
  backoffMultiplier: withDefault(z.number().check(z.minimum(1), z.maximum(10)), 2),
  maxBackoffSeconds: withDefault(int(0, 3600), 900),
  /** Exit codes of an essential container that a retry may fix; absent means every non-zero code. */
  exitCodes: opt(list(int(1, 255), 255).check(z.minLength(1))),
  /** Retry tasks that never started (image pull, network, secrets). */
  startFailures: withDefault(z.boolean(), true),
  /** Retry tasks stopped by Fargate Spot interruptions or infrastructure events. */
  interruptions: withDefault(z.boolean(), true),
});

const jobAlerts = z.strictObject({
  /** The channels this job's alerts go to (by default every configured channel). */
  channels: opt(list(z.enum(['sns', 'slack']), 2).check(z.minLength(1))),
  /** Also send the summary of runs that succeeded (severity info). */
  onSuccess: withDefault(z.boolean(), true),
});

const usesFargate = (job: {
  launchType?: string | undefined;
  capacityProviderStrategy?: { capacityProvider: string }[] | undefined;
}): boolean =>
  job.launchType === 'FARGATE' ||
  (job.capacityProviderStrategy ?? []).some((s) => s.capacityProvider.startsWith('FARGATE'));

const job = z
  .strictObject({
    /** A disabled job's schedule is deployed DISABLED; `harbormaster run-job` can still run it. */
    enabled: withDefault(z.boolean(), true),
    /** cron(...), rate(...) or at(...) in EventBridge Scheduler's syntax. */
    schedule: z.string().check(z.maxLength(256)),
    /** IANA time zone the schedule is evaluated in. */
    timezone: withDefault(z.string(), 'UTC'),
    cluster: z.string().check(z.regex(CLUSTER, 'expected a cluster name or ARN')),
    /** A family (its latest ACTIVE revision at each run), family:revision, or a revision ARN. */
    taskDefinition: z
      .string()
      .check(z.regex(TASK_DEFINITION, 'expected a family, family:revision or a revision ARN')),
    /** Tasks per run (RunTask takes 10 per call; Harbormaster makes as many calls as needed). */
    count: withDefault(int(1, 10_000), 1),
    containerOverrides: opt(list(containerOverride, 10)),
    launchType: opt(z.enum(['FARGATE', 'EC2', 'EXTERNAL'])),
    capacityProviderStrategy: opt(
      list(
        z.strictObject({
          capacityProvider: z.string().check(z.minLength(1), z.maxLength(255)),
          weight: opt(int(0, 1000)),
          base: opt(int(0, 100_000)),
        }),
        20,
      ).check(z.minLength(1)),
    ),
    platformVersion: opt(z.string().check(z.regex(/^(LATEST|\d+\.\d+\.\d+)$/))),
    network: opt(network),
    tags: opt(
      z.record(
        z.string().check(z.minLength(1), z.maxLength(128)),
        z.string().check(z.maxLength(256)),
      ),
    ),
    propagateTags: opt(z.enum(['TASK_DEFINITION', 'NONE'])),
    /** The task role and execution role of the task definition: the only roles the stack may pass. */
    roles: opt(
      z.strictObject({
        task: opt(z.string().check(z.regex(ROLE, 'expected a role ARN or name'))),
        execution: opt(z.string().check(z.regex(ROLE, 'expected a role ARN or name'))),
      }),
    ),
    /** Allow: runs overlap; Forbid: a run is skipped while the previous one is active; Replace: the previous one is stopped. */
    concurrencyPolicy: withDefault(z.enum(['Allow', 'Forbid', 'Replace']), 'Forbid'),
    /** How late a run may still start (including retries of RunTask capacity failures). */
    startWindowMinutes: withDefault(int(1, 1440), 10),
    /** Tasks still running this long after the run started are stopped and the run fails. */
    deadlineMinutes: withDefault(int(1, 10_080), 1440),
    retries: z.prefault(retries, {}),
    alerts: z.prefault(jobAlerts, {}),
  })
  .check(
    z.superRefine((value, ctx) => {
      const issue = (path: string | string[], message: string) =>
        ctx.issues.push({ code: 'custom', input: value, path: [path].flat(), message });
      if (value.launchType && value.capacityProviderStrategy)
        issue(
          'capacityProviderStrategy',
          'give either launchType or capacityProviderStrategy, not both',
        );
      if (usesFargate(value) && !value.network)
        issue(
          'network',
          'required: Fargate tasks use the awsvpc network mode (subnets, security groups)',
        );
      if (value.startWindowMinutes > value.deadlineMinutes)
        issue('startWindowMinutes', 'must not exceed deadlineMinutes');
      for (const key of Object.keys(value.tags ?? {}))
        if (key.toLowerCase().startsWith('aws:'))
          issue(['tags', key], 'the aws: prefix is reserved');
      if (Object.keys(value.tags ?? {}).length > MAX_USER_TAGS)
        issue('tags', `at most ${MAX_USER_TAGS} tags (RunTask takes 50; Harbormaster adds 2)`);
      const overrides = JSON.stringify(value.containerOverrides ?? []);
      if (overrides.length > MAX_OVERRIDES_CHARACTERS)
        issue(
          'containerOverrides',
          `RunTask overrides are limited to ${MAX_OVERRIDES_CHARACTERS} characters`,
        );
    }),
  );

/** The `batchJobs` section: scheduled RunTask batches, by job name. */
const batchJobsSchema = z
  .strictObject({
    /** RunTask pacing; the defaults are Fargate's documented limits (20 calls/s; 100 tasks, then 20/s). */
    runTaskPacing: z.prefault(
      z.strictObject({
        callsPerSecond: withDefault(z.number().check(z.minimum(0.1), z.maximum(100)), 20),
        tasksPerSecond: withDefault(z.number().check(z.minimum(0.1), z.maximum(1000)), 20),
        taskBurst: withDefault(int(10, 1000), 100),
      }),
      {},
    ),
    /** How long one invocation keeps launching before leaving the rest to the next check. */
    launchBudgetSeconds: withDefault(int(10, 840), 600),
    /** How long run records are kept (DynamoDB TTL). */
    retentionDays: withDefault(int(1, 400), 30),
    jobs: withDefault(z.record(z.string(), job), {}),
  })
  .check(
    z.superRefine((value, ctx) => {
      for (const name of Object.keys(value.jobs)) {
        if (!JOB_NAME.test(name))
          ctx.issues.push({
            code: 'custom',
            input: name,
            path: ['jobs', name],
            message:
              'job names are 1-48 letters, digits, "-" and "_", starting with a letter or digit',
          });
      }
    }),
  );

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What a schema cannot check: each job's schedule expression (AWS's rules) and time zone (the
 * runtime's IANA data). Checked at build, packaging and by `harbormaster validate`; a Lambda cold
 * start skips it (its configuration was checked at build, and ICU's zone data takes milliseconds
 * to load).
 */
const scheduleIssues = (data: unknown): FieldIssue[] => {
  const jobs = isRecord(data) && isRecord(data.batchJobs) ? data.batchJobs.jobs : undefined;
  if (!isRecord(jobs)) return [];
  const issues: FieldIssue[] = [];
  for (const [name, job] of Object.entries(jobs)) {
    if (!isRecord(job)) continue;
    const path = `batchJobs.jobs.${name}`;
    if (typeof job.schedule === 'string') {
      try {
        parseScheduleExpression(job.schedule);
      } catch (error) {
        issues.push({
          path: `${path}.schedule`,
          message: `invalid schedule expression "${job.schedule}": ${(error as Error).message}`,
        });
      }
    }
    const timezone = job.timezone ?? 'UTC';
    if (typeof timezone === 'string' && !isTimeZone(timezone))
      issues.push({
        path: `${path}.timezone`,
        message: `unknown time zone "${timezone}" (expected an IANA name such as Europe/Berlin)`,
      });
  }
  return issues;
};

type BatchJobsConfig = z.infer<typeof batchJobsSchema>;
type JobConfig = z.infer<typeof job>;

export { type BatchJobsConfig, batchJobsSchema, type JobConfig, scheduleIssues, usesFargate };
