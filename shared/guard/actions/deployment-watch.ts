import type { EndWatchAction, UpdateWatchAction, WatchDeploymentAction } from '#kernel/action.ts';
import type { ActionRunner } from '#kernel/runner.ts';

const name = (action: { watch: { cluster: string; service: string; deploymentId: string } }) =>
  `${action.watch.cluster}/${action.watch.service} deployment ${action.watch.deploymentId}`;

/** Starts watching a deployment; a redelivered start keeps the existing watch. */
const watchDeployment: ActionRunner<WatchDeploymentAction> = {
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
const updateWatch: ActionRunner<UpdateWatchAction> = {
  permissions: ['dynamodb:PutItem'],
  describe: (action) => `watch ${name(action)}: ${updatedFor(action)}`,
  run: async (action, { ports }) => {
    await ports.guardStore.updateWatch(action.watch, new Date(action.dueAt));
    return { status: 'done', detail: updatedFor(action) };
  },
};

/** Stops watching a deployment; ending a watch that is gone is a success. */
const endWatch: ActionRunner<EndWatchAction> = {
  permissions: ['dynamodb:DeleteItem'],
  describe: (action) => `stop watching ${name(action)}`,
  run: async (action, { ports }) => {
    await ports.guardStore.endWatch(action.watch);
    return { status: 'done', detail: 'watch ended' };
  },
};

export { endWatch, updateWatch, watchDeployment };
