import { act, type Decision, ignore } from '#kernel/decision.ts';
import type { EventOfKind } from '#kernel/events/parse.ts';
import type { GuardAction } from './actions/index.ts';
import { guardAlert } from './alerts.ts';
import type { GuardConfig } from './config.ts';
import { factsAbout, known } from './deployment-facts.ts';
import { phaseOf } from './deployments.ts';
import { attributableFailures } from './failures.ts';
import { planRollback, rollbackTarget } from './plan-rollback.ts';
import type { FailureTally } from './records.ts';
import { rollbackDone } from './records.ts';
import type { GuardState } from './state.ts';
import { failedTasksTrigger } from './triggers/failed-tasks.ts';

type TaskEvent = EventOfKind<'task-state-change'>;

/**
 * A failed task of a deployment whose tally stays below its threshold with it: counted in the
 * guard's table, no ECS call (the tally's first count came from ECS's stopped tasks).
 */
const countAlone = (event: TaskEvent, tally: FailureTally, now: Date): Decision<GuardAction> => {
  const { cluster, service, deploymentId, taskArn } = event.task as {
    cluster: string;
    service: string;
    deploymentId: string;
    taskArn: string;
  };
  if (tally.taskArns.includes(taskArn))
    return ignore(`the task is already counted against deployment ${deploymentId}`);
  return act(
    `${tally.taskArns.length + 1} of ${tally.threshold} failed tasks (counted in the guard's table)`,
    [
      {
        type: 'tally-failures',
        cluster,
        service,
        deploymentId,
        threshold: tally.threshold,
        taskArns: [taskArn],
        at: now.toISOString(),
      },
    ],
  );
};

/**
 * A task of a service deployment stopped: if it failed, it counts against its deployment, with the
 * deployment's other stopped tasks (cumulatively). The first failure is alerted; the configured
 * count fires the failed-tasks trigger.
 */
const decideTaskStopped = (
  event: TaskEvent,
  state: GuardState,
  _config: GuardConfig,
  now: Date,
): Decision<GuardAction> => {
  const deploymentId = event.task.deploymentId as string;
  const history = state.services[0]?.history;
  if (history && rollbackDone(history, deploymentId))
    return ignore(`the rollback of deployment ${deploymentId} is done: nothing more to count`);
  const tally = history?.tallies?.find((t) => t.deploymentId === deploymentId);
  const snapshot = known(state.services[0]);
  if (!snapshot && tally) return countAlone(event, tally, now);
  if (!snapshot) return ignore('the service is not described');
  const j = factsAbout(event.meta, snapshot, deploymentId, now);
  const phase = phaseOf(j);
  if (!j.deployment || phase === 'over' || phase === 'superseded') {
    return ignore(
      `deployment ${deploymentId} is ${phase === 'superseded' ? 'superseded' : 'over'}`,
    );
  }
  const { mode, count } = j.settings.failedTasks;
  if (mode === 'off') return ignore('the failed-tasks trigger is off for this service');
  const failures = attributableFailures(j.deployment, [...j.stoppedTasks, event.raw.detail]);
  if (failures.length === 0)
    return ignore(`the task is not attributable to deployment ${deploymentId}`);
  const failing = guardAlert(j, 'failing', {
    severity: 'warning',
    reason: `${failures.length} of its tasks failed (rollback at ${count}).`,
    failures,
    threshold: count,
    // What "Roll back now" in chat goes back to, when the guard's rules allow a rollback.
    target: rollbackTarget(j),
    nextSteps: ['Read the stopped reasons and exit codes below.'],
  });
  const firing = failedTasksTrigger(j, failures);
  if (!firing)
    return act(`${failures.length} of ${count} failed tasks`, [
      failing,
      {
        type: 'tally-failures',
        cluster: j.cluster,
        service: j.service,
        deploymentId,
        threshold: count,
        taskArns: failures.map((f) => f.taskArn).filter((arn) => arn !== ''),
        at: now.toISOString(),
      },
    ]);
  const outcome = planRollback(j, firing);
  return act(outcome.reason, [failing, ...outcome.actions]);
};

export { decideTaskStopped };
