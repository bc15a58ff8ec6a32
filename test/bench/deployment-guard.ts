import type { BehaviorSpec, EventBridgeEnvelope } from '@harbormaster/local-aws';
import type { GuardAction } from '#guard/actions/index.ts';
import type { DeploymentGuardAlert } from '#guard/deployment-guard-alert.ts';
import { classifyStoppedTask } from '#kernel/events/stopped-task.ts';
import type { TaskDetail } from '#kernel/events/task-state-change.ts';
import { type GuardStack, startGuardStack } from '#support/guard-stack.ts';

/** How long a run may take in simulated time before "never" is the answer. */
const HORIZON_MINUTES = 60;
const DESIRED_COUNTS = [1, 4, 10, 50];

interface Scenario {
  name: string;
  behavior: BehaviorSpec | undefined;
  /** Something that happens during the deployment (an alarm). */
  during?: (g: GuardStack) => Promise<void>;
  tags?: Record<string, string>;
}

const SCENARIOS: Scenario[] = [
  { name: 'image pull failure', behavior: { kind: 'image-pull-failure' } },
  { name: 'crash after running', behavior: { kind: 'crash', afterMs: 5_000, exitCode: 1 } },
  {
    name: 'health-check kills',
    behavior: { kind: 'health-check-failure', afterMs: 30_000, check: 'elb' },
  },
  { name: 'out of memory', behavior: { kind: 'oom', afterMs: 15_000 } },
  {
    name: 'never healthy (deadline)',
    behavior: { kind: 'health-check-failure', afterMs: 3 * 60 * 60_000, check: 'elb' },
  },
  {
    name: 'alarm after 2 minutes',
    behavior: undefined,
    tags: { 'harbormaster:guard:alarms': 'web-5xx' },
    during: async (g) => {
      await g.local.clock.advance(2 * 60_000);
      g.local.cloudwatch.setAlarmState('web-5xx', 'ALARM', 'Threshold Crossed: 5xx above 1%');
      await g.stack.settle();
    },
  },
];

interface Outcome {
  failedTasks: number;
  minutes: number | undefined;
}

/** ECS's circuit breaker threshold under its documented default rule (BOUNDED_PERCENT 50). */
const documentedThreshold = (desired: number): number =>
  Math.min(200, Math.max(3, Math.ceil(desired / 2)));

const failuresOf = (events: readonly EventBridgeEnvelope[], deploymentId: string): number =>
  events.filter((e) => {
    if (e['detail-type'] !== 'ECS Task State Change' || e.detail.startedBy !== deploymentId)
      return false;
    return (
      e.detail.lastStatus === 'STOPPED' &&
      classifyStoppedTask(e.detail as TaskDetail)?.failure === true
    );
  }).length;

const runOnce = async (
  scenario: Scenario,
  desiredCount: number,
  who: 'guard' | 'ecs',
): Promise<{ outcome: Outcome; g: GuardStack }> => {
  const g = await startGuardStack({
    desiredCount,
    circuitBreaker:
      who === 'ecs' ? { enable: true, rollback: true } : { enable: false, rollback: false },
    config: who === 'ecs' ? { deploymentGuard: { mode: 'off' } } : {},
    ...(scenario.tags ? { tags: scenario.tags } : {}),
  });
  if (scenario.tags) g.local.cloudwatch.putAlarm('web-5xx', { state: 'OK' });
  const startedAt = g.local.clock.nowMs();
  const from = g.local.events.length;
  g.deploy(scenario.behavior);
  const deploymentId = String(
    g.local.events.slice(from).find((e) => e.detail.eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS')
      ?.detail.deploymentId,
  );
  if (scenario.during) await scenario.during(g);
  let outcome: Outcome | undefined;
  for (let minute = 0; minute < HORIZON_MINUTES && !outcome; minute += 1) {
    await g.elapse(1);
    if (who === 'guard') {
      const call = g.guardUpdates()[0];
      if (!call) continue;
      const alert = g.stack.lambda.invocations
        .flatMap((i) => i.result?.actions ?? [])
        .map((a) => a.action as GuardAction)
        .find(
          (a) =>
            a.type === 'notify' &&
            a.alert.kind === 'deployment-guard' &&
            a.alert.event === 'rolled-back',
        );
      outcome = {
        failedTasks:
          (alert as { alert: DeploymentGuardAlert } | undefined)?.alert.failureCount ?? 0,
        minutes: (call.at.getTime() - startedAt) / 60_000,
      };
    } else {
      const events = g.local.events.slice(from);
      const failed = events.findIndex((e) => e.detail.eventName === 'SERVICE_DEPLOYMENT_FAILED');
      if (failed === -1) continue;
      outcome = {
        failedTasks: failuresOf(events.slice(0, failed), deploymentId),
        minutes: (Date.parse(events[failed]?.time ?? '') - startedAt) / 60_000,
      };
    }
  }
  outcome ??= {
    failedTasks: failuresOf(g.local.events.slice(from), deploymentId),
    minutes: undefined,
  };
  return { outcome, g };
};

const cell = (o: Outcome): string =>
  o.minutes === undefined
    ? `never (${o.failedTasks} failed in ${HORIZON_MINUTES} min)`
    : `${o.failedTasks} failed, ${o.minutes.toFixed(1)} min`;

/**
 * For each failure mode and desired count: failed tasks and simulated minutes until the guard
 * rolls back (default settings, ECS's breaker off), beside what ECS's circuit breaker does under
 * its documented rule (breaker on with rollback, guard off); and the ECS API calls the guard made
 * per stopped-task event, counted per invocation.
 */
const deploymentGuardBench = async (): Promise<string[]> => {
  const lines = [
    `Rollback of a failing deployment: the guard (rollback at 3 failed tasks, 30-minute deadline, alarms) vs ECS's circuit breaker (documented rule: threshold = clamp(ceil(desired / 2), 3, 200), only tasks that fail to start or fail health checks, reset by a healthy task); horizon ${HORIZON_MINUTES} simulated minutes`,
    `${'scenario'.padEnd(26)} ${'desired'.padStart(7)}  ${'breaker threshold'.padStart(17)}  ${'guard'.padEnd(28)} ${'ECS circuit breaker'.padEnd(34)} target`,
  ];
  const callsPerTaskEvent: number[] = [];
  let targetsMet = true;
  for (const scenario of SCENARIOS) {
    for (const desired of DESIRED_COUNTS) {
      const guardRun = await runOnce(scenario, desired, 'guard');
      callsPerTaskEvent.push(...guardRun.g.taskInvocations().map((i) => i.calls.length));
      await guardRun.g.stack.close();
      const ecsRun = await runOnce(scenario, desired, 'ecs');
      await ecsRun.g.stack.close();
      const g = guardRun.outcome;
      // The failed-tasks target: at the configured count (3) where tasks fail; the deadline
      // and alarm scenarios have no failed tasks and must still be rolled back.
      const byFailures = scenario.name.includes('deadline') || scenario.name.includes('alarm');
      const met = g.minutes !== undefined && (byFailures ? true : g.failedTasks === 3);
      targetsMet &&= met;
      lines.push(
        `${scenario.name.padEnd(26)} ${String(desired).padStart(7)}  ${String(documentedThreshold(desired)).padStart(17)}  ${cell(g).padEnd(28)} ${cell(ecsRun.outcome).padEnd(34)} ${met ? 'met' : 'MISSED'}`,
      );
    }
  }
  const max = Math.max(...callsPerTaskEvent);
  const mean = callsPerTaskEvent.reduce((a, b) => a + b, 0) / callsPerTaskEvent.length;
  lines.push(
    '',
    `Rollback at the configured count (3) in every failed-task scenario, and by deadline or alarm in the others: ${targetsMet ? 'met' : 'MISSED'}`,
    `ECS API calls per stopped-task event (${callsPerTaskEvent.length} events): max ${max}, mean ${mean.toFixed(2)} (target <= 4 including the rollback call): ${max <= 4 ? 'met' : 'MISSED'}`,
  );
  return lines;
};

export { deploymentGuardBench };
