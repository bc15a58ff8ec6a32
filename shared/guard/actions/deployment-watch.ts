import type { ActionRunner } from '#kernel/runner.ts';
import type { GuardStore } from '../ports.ts';
import type { DeploymentWatch } from '../records.ts';

type WatchPorts = { guardStore: GuardStore };

/** Stop watching a deployment (completed and baked, replaced, rolled back, or gone). */
interface EndWatchAction {
  type: 'end-watch';
  watch: DeploymentWatch;
}

/** Rewrite a watch: the deployment completed and its bake time runs until `dueAt`. */
interface UpdateWatchAction {
  type: 'update-watch';
  watch: DeploymentWatch;
  dueAt: string;
}

/** Start watching a deployment for its deadline, alarms and bake time (safe to repeat). */
interface WatchDeploymentAction {
  type: 'watch-deployment';
  watch: DeploymentWatch;
  /** ISO-8601 time at which the deadline (or, later, the end of the bake time) falls due. */
  dueAt: string;
}

const name = (action: { watch: { cluster: string; service: string; deploymentId: string } }) =>
  `${action.watch.cluster}/${action.watch.service} deployment ${action.watch.deploymentId}`;

/** Starts watching a deployment; a redelivered start keeps the existing watch. */
const watchDeployment: ActionRunner<WatchDeploymentAction, WatchPorts> = {
  permissions: ['dynamodb:PutItem'],
  describe: (action) => `watch ${name(action)} until ${action.dueAt}`,
  run: async (action, { ports }) => {
    const created = await ports.guardStore.startWatch(action.watch, new Date(action.dueAt));
    return created
      ? { status: 'done', detail: `watching until ${action.dueAt}` }
      : { status: 'skipped', detail: 'already watched' };
  },
};

/**
 * What an updated watch waits for, in words: its bake time, a moved deadline, ECS's promised
 * rollback, or (a trigger fired without a rollback) nothing but its cleanup; only the first bakes.
 */
const updatedFor = (action: UpdateWatchAction): string => {
  const { watch, dueAt } = action;
  if (watch.bakeUntil) return `baking until ${dueAt}`;
  if (watch.deadlineAt === dueAt) return `deadline ${dueAt}`;
  if (watch.deadlineAt) return `checked again at ${dueAt}`;
  return `kept for its alarms until ${dueAt}, then cleaned up`;
};

/** Rewrites a watch: its bake time, its deadline, or when it is looked at again. */
const updateWatch: ActionRunner<UpdateWatchAction, WatchPorts> = {
  permissions: ['dynamodb:PutItem'],
  describe: (action) => `watch ${name(action)}: ${updatedFor(action)}`,
  run: async (action, { ports }) => {
    await ports.guardStore.updateWatch(action.watch, new Date(action.dueAt));
    return { status: 'done', detail: updatedFor(action) };
  },
};

/** Stops watching a deployment; ending a watch that is gone is a success. */
const endWatch: ActionRunner<EndWatchAction, WatchPorts> = {
  permissions: ['dynamodb:DeleteItem'],
  describe: (action) => `stop watching ${name(action)}`,
  run: async (action, { ports }) => {
    await ports.guardStore.endWatch(action.watch);
    return { status: 'done', detail: 'watch ended' };
  },
};

export {
  type EndWatchAction,
  endWatch,
  type UpdateWatchAction,
  updateWatch,
  type WatchDeploymentAction,
  watchDeployment,
};
