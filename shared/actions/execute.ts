import type { Action } from '../core/action.ts';
import { advanceJobWatermark } from './advance-job-watermark.ts';
import { endWatch, updateWatch, watchDeployment } from './deployment-watch.ts';
import { deregisterTaskDefinition } from './deregister-task-definition.ts';
import { finishJobRun } from './finish-job-run.ts';
import { launchJobTasks } from './launch-job-tasks.ts';
import { notify } from './notify.ts';
import { parkDeadLetter } from './park-dead-letter.ts';
import { recordJobLaunch } from './record-job-launch.ts';
import { recordTaskOutcome } from './record-task-outcome.ts';
import { reportFindings } from './report-findings.ts';
import { rollbackService } from './rollback-service.ts';
import type { ActionContext, ActionResult, ActionRunner, ActionRunners } from './runner.ts';
import { startJobRun } from './start-job-run.ts';
import { stopTask } from './stop-task.ts';
import { tagTaskDefinition } from './tag-task-definition.ts';

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
