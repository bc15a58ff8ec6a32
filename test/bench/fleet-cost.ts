import { FARGATE_BUCKETS } from '@harbormaster/local-aws';
import {
  batchJob,
  batchSubjects,
  elapse,
  registerBatchDefinition,
  startBatchStack,
} from '#support/batch-stack.ts';
import { startGuardStack } from '#support/guard-stack.ts';
import { alarmFanOut } from './alarm-fan-out.ts';
import { costLine, type InvocationCost, invocationCost, LATENCY_NOTE } from './invocation-cost.ts';
import { periodicChecksBench } from './periodic-checks.ts';

const JOB_RUNS = 'harbormaster-local-job-runs';
const SIZES = [100, 1000];
const REPEATS = 2;

interface Figures {
  /** DynamoDB requests and items read on the job runs table, per task (net of the periodic check). */
  requestsPerTask: number;
  itemsReadPerTask: number;
  itemsWrittenPerTask: number;
  invocationsPerTask: number;
  ecsCallsPerTask: number;
  stoppedEvents: number;
  wallSeconds: number;
  summaries: number;
  /**
   * Policy-enforcer invocations on the run's task events per task, and how many of those events
   * the rule routed before it took only each task's first (desired RUNNING, last PROVISIONING,
   * PENDING, ACTIVATING or RUNNING).
   */
  enforcerPerTask: number;
  enforcerPerTaskBefore: number;
  /** What one STOPPED event's invocation and one periodic check cost (CPU measured, latency modelled). */
  costs: { stopped: InvocationCost; check: InvocationCost };
}

/** One batch run of `count` tasks (every 7th fails, no retries), ending 1 s apart, to its summary. */
const batchRun = async (count: number): Promise<Figures> => {
  const started = performance.now();
  const stack = await startBatchStack({ fleet: batchJob({ count, retries: { attempts: 0 } }) });
  try {
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    for (const bucket of Object.values(FARGATE_BUCKETS))
      stack.local.throttle.setLimits(bucket, { capacity: 10_000 });
    stack.local.ecs.setBehavior('report', (_task, index) => ({
      kind: 'exit' as const,
      afterMs: 60_000 + index * 1000,
      exitCodes: { app: index % 7 === 3 ? 1 : 0 },
    }));
    await elapse(stack, Math.ceil(count / 60) + 15);
    const batch = stack.lambda.invocations.filter((i) => i.function === 'batch-jobs');
    const isSweep = (i: (typeof batch)[number]) => JSON.stringify(i.event).includes('_sweep');
    const sweeps = batch.filter(isSweep).length;
    const usage = stack.local.dynamodb.usage.of(JOB_RUNS);
    return {
      requestsPerTask: (usage.requests - 2 * sweeps) / count,
      itemsReadPerTask: (usage.itemsRead - 2 * sweeps) / count,
      itemsWrittenPerTask: usage.itemsWritten / count,
      invocationsPerTask: (batch.length - sweeps) / count,
      ecsCallsPerTask: stack.local.calls.list('ecs', undefined, 'batch-jobs').length / count,
      stoppedEvents: batch.filter((i) => JSON.stringify(i.event).includes('ECS Task State Change'))
        .length,
      wallSeconds: (performance.now() - started) / 1000,
      summaries: batchSubjects(stack).length,
      enforcerPerTask:
        stack.lambda.invocations.filter(
          (i) =>
            i.function === 'policy-enforcer' &&
            JSON.stringify(i.event).includes('ECS Task State Change'),
        ).length / count,
      enforcerPerTaskBefore:
        stack.local.events.filter((e) => {
          const d = e.detail as { desiredStatus?: string; lastStatus?: string; group?: string };
          return (
            e['detail-type'] === 'ECS Task State Change' &&
            d.desiredStatus === 'RUNNING' &&
            ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING'].includes(d.lastStatus ?? '') &&
            !d.group?.startsWith('service:')
          );
        }).length / count,
      costs: {
        stopped: invocationCost(
          'batch-jobs',
          batch.filter((i) => JSON.stringify(i.event).includes('ECS Task State Change')),
        ),
        check: invocationCost('batch-jobs', batch.filter(isSweep)),
      },
    };
  } finally {
    await stack.close();
  }
};

/** A service of `count` tasks whose new revision crashes: the guard's invocations and ECS calls. */
const failingService = async (count: number) => {
  const started = performance.now();
  const g = await startGuardStack({ desiredCount: count });
  try {
    g.deploy({ kind: 'crash', afterMs: 5_000, exitCode: 3 });
    await g.elapse(10);
    const ecs = g.local.calls.list('ecs', undefined, 'deployment-guard');
    const guard = g.stack.lambda.invocations.filter((i) => i.function === 'deployment-guard');
    const kind = (i: (typeof guard)[number]) =>
      (i.event as { 'detail-type'?: string })['detail-type'];
    return {
      costs: {
        stopped: invocationCost(
          'deployment-guard',
          guard.filter((i) => kind(i) === 'ECS Task State Change'),
        ),
        sweep: invocationCost(
          'deployment-guard',
          guard.filter((i) => kind(i) === 'Scheduled Event'),
        ),
      },
      taskEvents: g.taskInvocations().length,
      ecsCalls: ecs.length,
      describeServices: ecs.filter((c) => c.operation === 'DescribeServices').length,
      throttled: ecs.filter((c) => c.errorCode === 'ThrottlingException').length,
      rollbacks: g.guardUpdates().filter((c) => c.status === 200).length,
      wallSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await g.stack.close();
  }
};

const spread = (values: number[], digits = 1): string => {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? min.toFixed(digits) : `${min.toFixed(digits)}-${max.toFixed(digits)}`;
};

/**
 * Fleet-scale cost on the embedded endpoint: a batch run's DynamoDB requests and item reads per
 * task, and a failing service's guard invocations and ECS calls, at two sizes ten times apart
 * (counts are deterministic; wall times show their spread over the repeats).
 */
const fleetCostBench = async (): Promise<string[]> => {
  const lines = ['Batch run (job runs table, net of the per-minute check; every 7th task fails)'];
  const batch: Figures[][] = [];
  for (const size of SIZES) {
    const runs: Figures[] = [];
    for (let i = 0; i < REPEATS; i++) runs.push(await batchRun(size));
    batch.push(runs);
    const figure = (pick: (r: Figures) => number, digits: number, label: string) =>
      `${spread(runs.map(pick), digits)} ${label}`;
    lines.push(
      `  ${String(size).padStart(5)} tasks: ${[
        figure((r) => r.requestsPerTask, 2, 'requests/task'),
        figure((r) => r.itemsReadPerTask, 2, 'items read/task'),
        figure((r) => r.itemsWrittenPerTask, 2, 'items written/task'),
        figure((r) => r.invocationsPerTask, 2, 'invocations/task'),
        figure((r) => r.ecsCallsPerTask, 3, 'ECS calls/task'),
        figure((r) => r.stoppedEvents, 0, 'STOPPED events'),
        figure((r) => r.summaries, 0, 'summary'),
        figure((r) => r.enforcerPerTask, 2, 'policy-enforcer invocations/task'),
        figure((r) => r.enforcerPerTaskBefore, 2, 'with the former start-state rule'),
        figure((r) => r.wallSeconds, 1, 's wall'),
      ].join(', ')}`,
    );
  }
  const [small, large] = batch.map((runs) => runs[0] as Figures);
  if (small && large)
    lines.push(
      `  tenfold run: items read per task x${(large.itemsReadPerTask / small.itemsReadPerTask).toFixed(2)} (target: at most 3 requests per task)${large.requestsPerTask <= 3 ? '  met' : '  MISSED'}`,
    );
  lines.push('Failing service (every task of the new revision crashes after 5 s)');
  const guard = [];
  for (const size of SIZES) {
    const runs = [];
    for (let i = 0; i < REPEATS; i++) runs.push(await failingService(size));
    guard.push(runs[0]);
    lines.push(
      `  ${String(size).padStart(5)} tasks: ${spread(
        runs.map((r) => r.taskEvents),
        0,
      )} STOPPED events, ${spread(
        runs.map((r) => r.ecsCalls),
        0,
      )} ECS calls (${spread(
        runs.map((r) => r.describeServices),
        0,
      )} DescribeServices), ${spread(
        runs.map((r) => r.throttled),
        0,
      )} throttled, ${spread(
        runs.map((r) => r.rollbacks),
        0,
      )} rollback, ${spread(runs.map((r) => r.wallSeconds))} s wall`,
    );
  }
  const [g1, g10] = guard;
  if (g1 && g10)
    lines.push(
      `  tenfold service: ECS calls x${(g10.ecsCalls / g1.ecsCalls).toFixed(2)}, STOPPED events x${(g10.taskEvents / g1.taskEvents).toFixed(2)}${g10.ecsCalls <= g1.ecsCalls && g10.throttled === 0 ? '  met' : '  MISSED'}`,
    );
  // GB-seconds: the local host's CPU per invocation (an upper bound: it includes the embedded
  // endpoint serving the calls) plus each call at an assumed AWS latency, times configured memory.
  const batchLarge = batch.at(-1)?.[0];
  lines.push(`Cost per invocation at ${SIZES.at(-1)} tasks; ${LATENCY_NOTE}`);
  if (batchLarge) {
    lines.push(costLine('batch STOPPED event', batchLarge.costs.stopped));
    lines.push(costLine('batch periodic check', batchLarge.costs.check));
  }
  if (g10) {
    lines.push(costLine('guard STOPPED event', g10.costs.stopped));
    lines.push(costLine('guard sweep (wake-up or backstop)', g10.costs.sweep));
  }
  lines.push(...(await periodicChecksBench()));
  lines.push(
    'One alarm watched by deployments in progress (the guard judges them all; the default ECS budget, 10 calls a second)',
  );
  const fanOut = [];
  for (const size of SIZES) {
    const runs = [];
    for (let i = 0; i < REPEATS; i++) runs.push(await alarmFanOut(size));
    fanOut.push(runs[0]);
    lines.push(
      `  ${String(size).padStart(5)} deployments: ${spread(runs.map((r) => r.seconds))} s to load and decide (timeout 30 s), ${spread(
        runs.map((r) => r.ecsCalls),
        0,
      )} ECS calls (${spread(
        runs.map((r) => r.describeServices),
        0,
      )} DescribeServices), at most ${spread(
        runs.map((r) => r.maxPerSecond),
        0,
      )} a second, ${spread(
        runs.map((r) => r.throttled),
        0,
      )} throttled, ${spread(
        runs.map((r) => r.guardTableRequests),
        0,
      )} guard table requests, ${spread(
        runs.map((r) => r.rollbacks),
        0,
      )} rollbacks decided`,
    );
  }
  const [f1, f10] = fanOut;
  if (f1 && f10)
    lines.push(
      `  tenfold deployments: ECS calls x${(f10.ecsCalls / f1.ecsCalls).toFixed(2)}, time x${(f10.seconds / f1.seconds).toFixed(2)}${f10.seconds < 25 && f10.maxPerSecond <= 10 ? '  met' : '  MISSED'}`,
    );
  return lines;
};

export { fleetCostBench };
