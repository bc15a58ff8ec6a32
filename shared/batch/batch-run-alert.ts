import {
  consoleHost,
  type Link,
  taskDefinitionLink,
  taskLink,
} from '#kernel/alerts/console-links.ts';
import type { AlertBase, RenderedKind } from '#kernel/alerts/model.ts';
import { present, subjectFields } from '#kernel/alerts/subject.ts';

/** Failures of a batch run's tasks, grouped by reason. */
interface BatchFailureGroup {
  /** "app exited 3", "CannotPullContainerError: ...", "not placed: RESOURCE:FARGATE"... */
  reason: string;
  count: number;
}

/** What happened to a scheduled batch job run. */
interface BatchRunAlert extends AlertBase {
  kind: 'batch-run';
  /**
   * finished: every task is done (or the deadline passed); skipped: the previous run was still
   * active (Forbid); missed: the schedule's invocation never came or came too late; not-started:
   * the run could not start (missing cluster, task definition, network); unplaced: tasks could
   * not be placed within the start window. started and task-failed tell the run as it goes, in
   * its Slack app thread only (threadOnly): the summary says the rest everywhere.
   */
  event: 'finished' | 'skipped' | 'missed' | 'not-started' | 'unplaced' | 'started' | 'task-failed';
  job: string;
  runKey: string;
  trigger: 'schedule' | 'manual';
  scheduledAt: string;
  status: 'running' | 'succeeded' | 'failed' | 'skipped' | 'missed' | 'replaced';
  reason: string | undefined;
  cluster: string;
  taskDefinition: string | undefined;
  tasks: { total: number; succeeded: number; failed: number; retries: number };
  failures: BatchFailureGroup[];
  /** Failures of attempts that were retried (whatever came of the retry). */
  retried: BatchFailureGroup[];
  durationSeconds: number | undefined;
  /** Task ARNs of failed tasks, for console links (a few). */
  failedTasks: string[];
  /** Scheduled times that never ran (missed). */
  missedTimes: string[];
  /** task-failed: the task and why it failed. */
  failedTask?: { taskArn: string; reason: string } | undefined;
}

const duration = (seconds: number): string => {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
};

const tasksLine = (a: BatchRunAlert): string => {
  const { total, succeeded, failed, retries } = a.tasks;
  const retried = retries > 0 ? ` (${retries} ${retries === 1 ? 'retry' : 'retries'})` : '';
  return `${succeeded} succeeded, ${failed} failed of ${total}${retried}`;
};

const headline = (a: BatchRunAlert): { eventType: string; title: string } => {
  const job = `Batch job ${a.job}`;
  switch (a.event) {
    case 'finished':
      if (a.status === 'succeeded')
        return {
          eventType: 'BATCH_RUN_SUCCEEDED',
          title: `${job} succeeded: ${a.tasks.succeeded} of ${a.tasks.total} tasks`,
        };
      if (a.status === 'replaced')
        return {
          eventType: 'BATCH_RUN_REPLACED',
          title: `${job} run ${a.runKey} replaced by a newer run`,
        };
      return {
        eventType: 'BATCH_RUN_FAILED',
        title: `${job} failed: ${a.tasks.failed} of ${a.tasks.total} tasks failed`,
      };
    case 'skipped':
      return {
        eventType: 'BATCH_RUN_SKIPPED',
        title: `${job} run skipped: the previous run is still active`,
      };
    case 'missed':
      return {
        eventType: 'BATCH_RUN_MISSED',
        title:
          a.missedTimes.length > 1
            ? `${job} missed ${a.missedTimes.length} scheduled runs`
            : `${job} missed its run scheduled at ${a.scheduledAt}`,
      };
    case 'not-started':
      return {
        eventType: 'BATCH_RUN_NOT_STARTED',
        title: `${job} could not start: ${a.reason ?? 'see details'}`,
      };
    case 'started':
      return {
        eventType: 'BATCH_RUN_STARTED',
        title: `${job} started: ${a.tasks.total} task${a.tasks.total === 1 ? '' : 's'}`,
      };
    case 'task-failed':
      return {
        eventType: 'BATCH_TASK_FAILED',
        title: `${job}: task ${(a.failedTask?.taskArn ?? '').split('/').pop()?.slice(0, 12)} failed (${a.failedTask?.reason ?? 'see details'})`,
      };
    case 'unplaced':
      return {
        eventType: 'BATCH_TASKS_UNPLACED',
        title: `${job}: ${a.failures.reduce((n, f) => n + f.count, 0)} of ${a.tasks.total} tasks could not be placed`,
      };
  }
};

const NEXT_STEPS: Record<BatchRunAlert['event'], (a: BatchRunAlert) => string[]> = {
  finished: (a) =>
    a.status === 'succeeded' || a.status === 'replaced'
      ? []
      : [
          'Read the failed tasks\u2019 stopped reasons and container logs (links below).',
          `Once fixed, run it again now: harbormaster run-job ${a.job}`,
        ],
  skipped: (a) => [
    'The job\u2019s concurrencyPolicy is Forbid: a run waits for the previous one to finish.',
    `If the previous run is stuck, stop its tasks or set deadlineMinutes; run it now with: harbormaster run-job ${a.job}`,
  ],
  missed: (a) => [
    'Check the schedule (EventBridge Scheduler console) and the Harbormaster dead-letter queue.',
    `Run it now if the work is still needed: harbormaster run-job ${a.job}`,
  ],
  'not-started': (a) => [
    `Create what is missing or fix the job's configuration (batchJobs.jobs.${a.job}), then redeploy.`,
    `Run it again now with: harbormaster run-job ${a.job}`,
  ],
  started: () => [],
  // Retries follow the job's policy; the run's summary says how each slot ended.
  'task-failed': () => [],
  unplaced: () => [
    'The cluster has no capacity for these tasks: add capacity, allow more Fargate/Fargate Spot tasks, or use a capacity provider strategy with fallbacks.',
    'The run continues with the tasks that did start.',
  ],
};

const clusterTasksLink = (region: string, cluster: string): Link => ({
  label: 'Cluster tasks',
  url: `${consoleHost(region)}/ecs/v2/clusters/${encodeURIComponent(cluster)}/tasks?region=${region}`,
});

/** Renders what happened to a batch job run: its summary, or why it did not run. */
const renderBatchRun = (alert: BatchRunAlert): RenderedKind => {
  const s = alert.subject;
  const { eventType, title } = headline(alert);
  const started = alert.event === 'finished' || alert.event === 'unplaced';
  const fields = [
    ...subjectFields(s),
    {
      label: 'Run',
      value: `${alert.runKey} (${alert.trigger === 'manual' ? 'run now' : 'scheduled'})`,
    },
    ...(started ? [{ label: 'Tasks', value: tasksLine(alert) }] : []),
    ...(alert.durationSeconds !== undefined
      ? [{ label: 'Duration', value: duration(alert.durationSeconds) }]
      : []),
  ];
  const details = present([
    alert.reason ? `Reason: ${alert.reason}.` : undefined,
    ...alert.failures.map((f) => `${f.count} \u00d7 ${f.reason}`),
    ...alert.retried.map((f) => `Retried: ${f.count} \u00d7 ${f.reason}`),
    alert.missedTimes.length > 1 ? `Missed: ${alert.missedTimes.join(', ')}.` : undefined,
  ]);
  return {
    eventType,
    title,
    summary: `Batch job ${alert.job}, run ${alert.runKey}: ${alert.event === 'finished' ? alert.status : alert.event}.`,
    fields,
    details,
    nextSteps: NEXT_STEPS[alert.event](alert),
    links: present([
      clusterTasksLink(s.region, alert.cluster),
      ...alert.failedTasks.slice(0, 3).map((arn) => taskLink(s.region, alert.cluster, arn)),
      alert.failedTask ? taskLink(s.region, alert.cluster, alert.failedTask.taskArn) : undefined,
      alert.taskDefinition ? taskDefinitionLink(s.region, alert.taskDefinition) : undefined,
      alert.event === 'missed'
        ? {
            label: 'Schedules',
            url: `${consoleHost(s.region)}/scheduler/home?region=${s.region}#schedules`,
          }
        : undefined,
    ]),
  };
};

export { type BatchFailureGroup, type BatchRunAlert, renderBatchRun };
