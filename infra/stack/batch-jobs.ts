import { SWEEP_SCHEDULE } from '#batch/batch-event.ts';
import type { JobConfig } from '#batch/config.ts';
import { cronFor } from '#batch/schedule/fire-times.ts';
import { parseScheduleExpression } from '#batch/schedule/schedule-expression.ts';
import type { Config } from '#config/schema.ts';
import { ConfigError, type FieldIssue } from '#kernel/errors.ts';
import { anyOccurrenceAlarm } from './alarms.ts';
import { backstopSchedule } from './backstop.ts';
import { FUNCTION_ID, functionRole, schedulerRole } from './batch-jobs-roles.ts';

type Resources = Record<string, unknown>;

const pascal = (name: string): string =>
  name.replace(/(^|[-_])(\w)/g, (_match, _sep, letter: string) => letter.toUpperCase());

const clusterName = (cluster: string): string => cluster.split('/').pop() ?? cluster;

/** Checks what the configuration schema cannot: croner reads each cron, schedule names do not collide. */
const checkJobs = (jobs: Record<string, JobConfig>): void => {
  const issues: FieldIssue[] = [];
  const ids = new Map<string, string>();
  for (const [name, job] of Object.entries(jobs)) {
    const expression = parseScheduleExpression(job.schedule);
    if (expression.kind === 'cron') {
      try {
        cronFor(expression.fields, job.timezone);
      } catch (error) {
        issues.push({ path: `batchJobs.jobs.${name}.schedule`, message: (error as Error).message });
      }
    }
    const id = pascal(name);
    const other = ids.get(id);
    if (other)
      issues.push({
        path: `batchJobs.jobs.${name}`,
        message: `its resource names collide with job ${other}'s; rename one`,
      });
    ids.set(id, name);
  }
  if (issues.length > 0) throw new ConfigError('batch jobs', issues);
};

const schedule = (
  name: string,
  properties: {
    expression: string;
    timezone: string;
    enabled: boolean;
    description: string;
    maxEventAgeSeconds: number;
    retries: number;
    deadLetter: boolean;
  },
) => ({
  Type: 'AWS::Scheduler::Schedule',
  Properties: {
    Name: name,
    GroupName: { Ref: 'BatchJobScheduleGroup' },
    Description: properties.description,
    ScheduleExpression: properties.expression,
    ScheduleExpressionTimezone: properties.timezone,
    // Runs start at their scheduled minute; the run key is that minute.
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: properties.enabled ? 'ENABLED' : 'DISABLED',
    // No Input: the default payload (source aws.scheduler, the schedule ARN, the scheduled time).
    Target: {
      Arn: { 'Fn::GetAtt': [FUNCTION_ID, 'Arn'] },
      RoleArn: { 'Fn::GetAtt': ['BatchSchedulerRole', 'Arn'] },
      RetryPolicy: {
        MaximumEventAgeInSeconds: properties.maxEventAgeSeconds,
        MaximumRetryAttempts: properties.retries,
      },
      ...(properties.deadLetter
        ? { DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } } }
        : {}),
    },
  },
});

/** One EventBridge Scheduler schedule per job, and the periodic check's backstop. */
const schedules = (jobs: Record<string, JobConfig>, backstop: string): Resources => ({
  BatchJobScheduleGroup: {
    Type: 'AWS::Scheduler::ScheduleGroup',
    Properties: { Name: `\${self:service}-\${sls:stage}` },
  },
  ...Object.fromEntries(
    Object.entries(jobs).map(([name, job]) => [
      `BatchJob${pascal(name)}Schedule`,
      schedule(name, {
        expression: job.schedule,
        timezone: job.timezone,
        enabled: job.enabled,
        description: `Harbormaster batch job ${name} on ${clusterName(job.cluster)}`,
        // An invocation later than the start window could no longer start the run.
        maxEventAgeSeconds: Math.max(60, job.startWindowMinutes * 60),
        retries: 10,
        deadLetter: true,
      }),
    ]),
  ),
  // The backstop of the check's wake-ups (shared/batch/wakes.ts): it runs whatever a lost wake-up
  // left due. A missed backstop is made up by the next: no retries, nothing to dead-letter.
  BatchJobsCheckSchedule: schedule(SWEEP_SCHEDULE, {
    expression: backstop,
    timezone: 'UTC',
    enabled: true,
    description: 'Harbormaster batch jobs: retries, deadlines, lost task events and missed runs',
    maxEventAgeSeconds: 60,
    retries: 0,
    deadLetter: false,
  }),
});

const schedulerAlarm = (metric: string, description: string) =>
  anyOccurrenceAlarm({
    description,
    namespace: 'AWS/Scheduler',
    name: metric,
    dimensions: [{ Name: 'ScheduleGroup', Value: { Ref: 'BatchJobScheduleGroup' } }],
  });

/**
 * The stack parts derived from the batch jobs configuration: the function's role, the schedules
 * (with their execution role and dead-letter queue) and alarms on schedules that could not invoke
 * the function. Without jobs only the role exists, granting nothing on ECS.
 */
const batchJobsResources = (config: Config, backstop = backstopSchedule()): Resources => {
  const { jobs } = config.batchJobs;
  checkJobs(jobs);
  const list = Object.values(jobs);
  if (list.length === 0) return functionRole([]);
  return {
    ...functionRole(list),
    ...schedulerRole(),
    ...schedules(jobs, backstop),
    BatchSchedulesTargetErrorsAlarm: schedulerAlarm(
      'TargetErrorCount',
      'EventBridge Scheduler could not invoke Harbormaster batch-jobs for a scheduled run (it retries, then dead-letters).',
    ),
    BatchSchedulesDroppedAlarm: schedulerAlarm(
      'InvocationDroppedCount',
      'EventBridge Scheduler dropped a scheduled batch run invocation: a run may not have started. Check the dead-letter queue.',
    ),
  };
};

export { batchJobsResources };
