import { alertsSection } from '#alerts/config.ts';
import { type AlertPorts, notifyRunner } from '#alerts/notify.ts';

import { wireAlerts } from '#alerts/wire.ts';
import { taskDefinitionReads } from '#aws/ecs/task-definition-reads.ts';
import { taskLaunches } from '#aws/ecs/task-launches.ts';
import { taskReads } from '#aws/ecs/task-reads.ts';
import { taskStops } from '#aws/ecs/task-stops.ts';
import { wireEcs } from '#aws/ecs/wire.ts';
import { wireLeaseStore } from '#aws/leases.ts';
import { type WakeAction, type WakePorts, wakeRunner } from '#aws/wakeups/wake.ts';
import { wireWakeups } from '#aws/wakeups/wire.ts';
import { type BatchAction, batchAlertRenderers, batchRunners } from '#batch/actions/index.ts';
import { type BatchEvent, parseBatchEvent } from '#batch/batch-event.ts';
import { batchJobsSection } from '#batch/config.ts';
import { decideBatchJobs } from '#batch/decide.ts';
import { loadBatchState } from '#batch/load.ts';
import type { BatchPorts } from '#batch/ports.ts';
import type { BatchState } from '#batch/state.ts';
import { withBatchWakes } from '#batch/wakes.ts';
import { wireJobRunStore } from '#batch/wire.ts';
import { awsSection } from '#kernel/config/aws.ts';
import type { FunctionConfig, FunctionDefinition } from '#kernel/function-definition.ts';

const sections = { aws: awsSection, alerts: alertsSection, batchJobs: batchJobsSection };

const summaryOf = (event: BatchEvent): string => {
  switch (event.kind) {
    case 'start':
      return `${event.trigger === 'schedule' ? 'schedule fired' : 'run-now request'} for job ${event.job} (run ${event.runKey})`;
    case 'sweep':
      return `periodic check at ${event.at.toISOString()}`;
    case 'task-stopped':
      return `task ${event.detail.taskArn ?? ''} of job ${event.job} (run ${event.runKey}) stopped`;
    case 'reconcile':
      return `reconcile run ${event.runKey} of job ${event.job}`;
    case 'unrelated':
      return `unrelated event: ${event.reason}`;
  }
};

const consequenceOf = (event: BatchEvent): string => {
  switch (event.kind) {
    case 'start':
      return `Job ${event.job}'s run ${event.runKey} did not start; the periodic check reports it as missed once its start window closes.`;
    case 'sweep':
      return 'This periodic check of batch jobs did not run; the next one (a minute later) catches up.';
    case 'task-stopped':
    case 'reconcile':
      return `Run ${event.runKey} of job ${event.job} was not brought up to date; the periodic check catches up.`;
    case 'unrelated':
      return 'Nothing: the event was not for batch jobs.';
  }
};

/**
 * Scheduled batch jobs: starts runs when their schedule fires (or on request), follows their tasks
 * to completion through STOPPED events, retries failures, enforces deadlines and concurrency
 * policies, detects missed runs, and sends one summary per run.
 */
const batchJobs: FunctionDefinition<
  BatchEvent,
  BatchState,
  FunctionConfig<typeof sections>,
  BatchPorts & AlertPorts & WakePorts,
  BatchAction | WakeAction
> = {
  name: 'batch-jobs',
  reads: [
    'ecs:ListTasks',
    'ecs:DescribeTasks',
    'ecs:DescribeTaskDefinition',
    'dynamodb:GetItem',
    'dynamodb:Query',
  ],
  configSections: sections,
  runners: { ...batchRunners, wake: wakeRunner, notify: notifyRunner(batchAlertRenderers) },
  parse: parseBatchEvent,
  context: (event) => ({
    subject: {
      account: event.where.account,
      region: event.where.region,
      ...('job' in event ? { job: event.job } : {}),
    },
    eventId: event.eventId,
    summary: summaryOf(event),
    consequence: consequenceOf(event),
  }),
  load: loadBatchState,
  decide: (event, state, config, now) =>
    withBatchWakes(decideBatchJobs(event, state, config, now), state, now),
  wire: async (runtime) => ({
    ecs: wireEcs(
      runtime,
      [taskDefinitionReads, taskLaunches, taskReads, taskStops],
      runtime.config.batchJobs.runTaskPacing,
    ),
    jobRuns: wireJobRunStore(runtime),
    ...(await wireAlerts(runtime)),
    leases: wireLeaseStore(runtime),
    wakeups: wireWakeups(runtime, 'batch-jobs'),
  }),
};

export { batchJobs };
