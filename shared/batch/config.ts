import * as v from 'valibot';
import type { FieldIssue } from '#kernel/errors.ts';
import { int, lazy, list, opt, refined } from '#kernel/events/schema-helpers.ts';
import { parseScheduleExpression } from './schedule/schedule-expression.ts';
import { isTimeZone } from './schedule/zoned-time.ts';

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

const containerOverride = () =>
  v.strictObject({
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
    command: opt(list(v.pipe(v.string(), v.maxLength(8192)), 1000)),
    environment: opt(v.record(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/)), v.string())),
  });

const network = () =>
  v.strictObject({
    subnets: v.pipe(
      list(v.pipe(v.string(), v.regex(/^subnet-[0-9a-f]+$/, 'expected a subnet id')), 16),
      v.minLength(1, 'name at least one subnet'),
    ),
    securityGroups: v.optional(
      list(v.pipe(v.string(), v.regex(/^sg-[0-9a-f]+$/, 'expected a security group id')), 5),
      [],
    ),
    assignPublicIp: v.optional(v.picklist(['ENABLED', 'DISABLED']), 'DISABLED'),
  });

const retries = () =>
  v.strictObject({
    /** Retries per task after its first attempt (AWS Batch counts attempts; this counts retries). */
    attempts: v.optional(int(0, 10), 2),
    /** Wait before the first retry; each further retry waits `backoffMultiplier` times longer. */
    backoffSeconds: v.optional(int(0, 3600), 60),
    backoffMultiplier: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(10)), 2),
    maxBackoffSeconds: v.optional(int(0, 3600), 900),
    /** Exit codes of an essential container that a retry may fix; absent means every non-zero code. */
    exitCodes: opt(v.pipe(list(int(1, 255), 255), v.minLength(1))),
    /** Retry tasks that never started (image pull, network, secrets). */
    startFailures: v.optional(v.boolean(), true),
    /** Retry tasks stopped by Fargate Spot interruptions or infrastructure events. */
    interruptions: v.optional(v.boolean(), true),
  });

const jobAlerts = () =>
  v.strictObject({
    /** The channels this job's alerts go to (by default every configured channel). */
    channels: opt(v.pipe(list(v.picklist(['sns', 'slack']), 2), v.minLength(1))),
    /** Also send the summary of runs that succeeded (severity info). */
    onSuccess: v.optional(v.boolean(), true),
  });

const usesFargate = (job: {
  launchType?: string | undefined;
  capacityProviderStrategy?: { capacityProvider: string }[] | undefined;
}): boolean =>
  job.launchType === 'FARGATE' ||
  (job.capacityProviderStrategy ?? []).some((s) => s.capacityProvider.startsWith('FARGATE'));

const job = lazy(() =>
  refined(
    v.strictObject({
      /** A disabled job's schedule is deployed DISABLED; `harbormaster run-job` can still run it. */
      enabled: v.optional(v.boolean(), true),
      /** cron(...), rate(...) or at(...) in EventBridge Scheduler's syntax. */
      schedule: v.pipe(v.string(), v.maxLength(256)),
      /** IANA time zone the schedule is evaluated in. */
      timezone: v.optional(v.string(), 'UTC'),
      cluster: v.pipe(v.string(), v.regex(CLUSTER, 'expected a cluster name or ARN')),
      /** A family (its latest ACTIVE revision at each run), family:revision, or a revision ARN. */
      taskDefinition: v.pipe(
        v.string(),
        v.regex(TASK_DEFINITION, 'expected a family, family:revision or a revision ARN'),
      ),
      /** Tasks per run (RunTask takes 10 per call; Harbormaster makes as many calls as needed). */
      count: v.optional(int(1, 10_000), 1),
      containerOverrides: opt(list(containerOverride(), 10)),
      launchType: opt(v.picklist(['FARGATE', 'EC2', 'EXTERNAL'])),
      capacityProviderStrategy: opt(
        v.pipe(
          list(
            v.strictObject({
              capacityProvider: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
              weight: opt(int(0, 1000)),
              base: opt(int(0, 100_000)),
            }),
            20,
          ),
          v.minLength(1),
        ),
      ),
      platformVersion: opt(v.pipe(v.string(), v.regex(/^(LATEST|\d+\.\d+\.\d+)$/))),
      network: opt(network()),
      tags: opt(
        v.record(
          v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
          v.pipe(v.string(), v.maxLength(256)),
        ),
      ),
      propagateTags: opt(v.picklist(['TASK_DEFINITION', 'NONE'])),
      /** The task role and execution role of the task definition: the only roles the stack may pass. */
      roles: opt(
        v.strictObject({
          task: opt(v.pipe(v.string(), v.regex(ROLE, 'expected a role ARN or name'))),
          execution: opt(v.pipe(v.string(), v.regex(ROLE, 'expected a role ARN or name'))),
        }),
      ),
      /** Allow: runs overlap; Forbid: a run is skipped while the previous one is active; Replace: the previous one is stopped. */
      concurrencyPolicy: v.optional(v.picklist(['Allow', 'Forbid', 'Replace']), 'Forbid'),
      /** How late a run may still start (including retries of RunTask capacity failures). */
      startWindowMinutes: v.optional(int(1, 1440), 10),
      /** Tasks still running this long after the run started are stopped and the run fails. */
      deadlineMinutes: v.optional(int(1, 10_080), 1440),
      retries: v.optional(retries(), {}),
      alerts: v.optional(jobAlerts(), {}),
    }),
    (value, report) => {
      const issue = (path: string | string[], message: string) => report([path].flat(), message);
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
    },
  ),
);

/** The `batchJobs` section: scheduled RunTask batches, by job name. */
const batchJobsSchema = lazy(() =>
  refined(
    v.strictObject({
      /** RunTask pacing; the defaults are Fargate's documented limits (20 calls/s; 100 tasks, then 20/s). */
      runTaskPacing: v.optional(
        v.strictObject({
          callsPerSecond: v.optional(v.pipe(v.number(), v.minValue(0.1), v.maxValue(100)), 20),
          tasksPerSecond: v.optional(v.pipe(v.number(), v.minValue(0.1), v.maxValue(1000)), 20),
          taskBurst: v.optional(int(10, 1000), 100),
        }),
        {},
      ),
      /** How long run records are kept (DynamoDB TTL). */
      retentionDays: v.optional(int(1, 400), 30),
      jobs: v.optional(v.record(v.string(), job()), {}),
    }),
    (value, report) => {
      for (const name of Object.keys(value.jobs)) {
        if (!JOB_NAME.test(name))
          report(
            ['jobs', name],
            'job names are 1-48 letters, digits, "-" and "_", starting with a letter or digit',
          );
      }
    },
  ),
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

/** The `batchJobs` section, with its default. */
const batchJobsSection = lazy(() => v.optional(batchJobsSchema(), {}));

type BatchJobsConfig = v.InferOutput<ReturnType<typeof batchJobsSchema>>;
type JobConfig = v.InferOutput<ReturnType<typeof job>>;

/** The configuration the batch jobs' decisions read. */
interface BatchConfig {
  batchJobs: BatchJobsConfig;
}

export {
  type BatchConfig,
  type BatchJobsConfig,
  batchJobsSection,
  type JobConfig,
  scheduleIssues,
  usesFargate,
};
