import { notify } from '#alerts/notify.ts';
import { advanceJobWatermark } from '#batch/actions/advance-job-watermark.ts';
import { finishJobRun } from '#batch/actions/finish-job-run.ts';
import { launchJobTasks } from '#batch/actions/launch-job-tasks.ts';
import { recordJobLaunch } from '#batch/actions/record-job-launch.ts';
import { recordTaskOutcome } from '#batch/actions/record-task-outcome.ts';
import { startJobRun } from '#batch/actions/start-job-run.ts';
import { parkDeadLetter } from '#dead-letters/park-dead-letter.ts';
import { endWatch, updateWatch, watchDeployment } from '#guard/actions/deployment-watch.ts';
import { rollbackService } from '#guard/actions/rollback-service.ts';
import { deregisterTaskDefinition } from '#policies/actions/deregister-task-definition.ts';
import { reportFindings } from '#policies/actions/report-findings.ts';
import { stopTask } from '#policies/actions/stop-task.ts';
import { tagTaskDefinition } from '#policies/actions/tag-task-definition.ts';
import type { Action } from './action.ts';
import type { ActionContext, ActionResult, ActionRunner, ActionRunners } from './runner.ts';

/** Every action type and how it is carried out; the compiler checks none is missing. */
const RUNNERS: ActionRunners = {
  notify,
  'park-dead-letter': parkDeadLetter,
  'stop-task': stopTask,
  'report-findings': reportFindings,
  'tag-task-definition': tagTaskDefinition,
  'deregister-task-definition': deregisterTaskDefinition,
  'rollback-service': rollbackService,
  'watch-deployment': watchDeployment,
  'update-watch': updateWatch,
  'end-watch': endWatch,
  'start-job-run': startJobRun,
  'finish-job-run': finishJobRun,
  'record-task-outcome': recordTaskOutcome,
  'launch-job-tasks': launchJobTasks,
  'record-job-launch': recordJobLaunch,
  'advance-job-watermark': advanceJobWatermark,
};

const runnerFor = <A extends Action>(action: A): ActionRunner<A> =>
  RUNNERS[action.type] as unknown as ActionRunner<A>;

/**
 * Carries actions out in order: the only place where a decision touches the world. In dry-run it
 * logs and returns what it would have done. An error stops the list and propagates, so that the
 * invocation is retried; every runner is safe to repeat, so the actions already done may run again.
 */
const execute = async (
  actions: readonly Action[],
  context: ActionContext & { dryRun: boolean },
): Promise<ActionResult[]> => {
  const results: ActionResult[] = [];
  for (const action of actions) {
    const runner = runnerFor(action);
    const base = { type: action.type, action };
    if (context.dryRun) {
      const detail = `would ${runner.describe(action)}`;
      context.telemetry.log.info('Dry run: action not carried out', {
        action: action.type,
        detail,
      });
      context.telemetry.counters.count('DryRunActions');
      results.push({ ...base, status: 'dry-run', detail });
      continue;
    }
    const outcome = await runner.run(action, context);
    context.telemetry.log.info('Action carried out', { action: action.type, ...outcome });
    context.telemetry.counters.count(
      outcome.status === 'done' ? 'ActionsExecuted' : 'ActionsSkipped',
    );
    results.push({ ...base, ...outcome });
  }
  return results;
};

/** The IAM actions an action type needs. */
const permissionsFor = (type: Action['type']): readonly string[] => RUNNERS[type].permissions;

export { execute, permissionsFor };
