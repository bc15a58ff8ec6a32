import type { ActionRunner } from '#kernel/runner.ts';
import type { GuardStore } from '../ports.ts';

/**
 * Count failed tasks against a deployment in the guard's table: later STOPPED events of the
 * deployment are counted there without calling ECS until the threshold is in reach.
 */
interface TallyFailuresAction {
  type: 'tally-failures';
  cluster: string;
  service: string;
  deploymentId: string;
  threshold: number;
  taskArns: string[];
  /** When they were counted (ISO-8601). */
  at: string;
}

/** Adds the tasks to the deployment's tally (a set: a redelivered event adds nothing). */
const tallyFailures: ActionRunner<TallyFailuresAction, { guardStore: GuardStore }> = {
  permissions: ['dynamodb:UpdateItem'],
  describe: (action) =>
    `count ${action.taskArns.length} failed task(s) against ${action.cluster}/${action.service} deployment ${action.deploymentId} (rollback at ${action.threshold})`,
  run: async (action, { ports }) => {
    await ports.guardStore.tallyFailures(action);
    return { status: 'done', detail: `${action.taskArns.length} failed task(s) counted` };
  },
};

export { type TallyFailuresAction, tallyFailures };
