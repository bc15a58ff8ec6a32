import type { GuardAction } from './actions/index.ts';
import { lastCompletedTaskDefinition, originOf, rollbackOf } from './deployments.ts';
import type { DeploymentWatch } from './records.ts';
import type { DeploymentFacts } from './state.ts';
import { watchedAlarms } from './triggers/alarm.ts';

// A watch with nothing due is still cleaned up after a day.
const CLEANUP_MS = 24 * 60 * 60_000;

const iso = (ms: number): string => new Date(ms).toISOString();

/** The watch of a deployment that starts now (deadline and alarms per its settings). */
const newWatch = (j: DeploymentFacts, startedAt: string): DeploymentWatch => {
  const deadline =
    j.settings.deadline.mode === 'off'
      ? undefined
      : new Date(Date.parse(startedAt) + j.settings.deadline.minutes * 60_000);
  return {
    cluster: j.cluster,
    service: j.service,
    deploymentId: j.deploymentId,
    origin: originOf(j),
    taskDefinition: j.deployment?.taskDefinition || undefined,
    previousTaskDefinition: lastCompletedTaskDefinition(j),
    rollbackOf: rollbackOf(j),
    startedAt,
    deadlineAt: deadline?.toISOString(),
    completedAt: undefined,
    bakeUntil: undefined,
    alarms: j.settings.alarms.mode === 'off' ? [] : watchedAlarms(j.settings, j.watch),
  };
};

/** When a watch falls due: its bake time's end, its deadline, or the cleanup. */
const dueAtOf = (watch: DeploymentWatch): string =>
  watch.bakeUntil ?? watch.deadlineAt ?? iso(Date.parse(watch.startedAt) + CLEANUP_MS);

/** Whether anything still counts after the deployment completed. */
const bakes = (j: DeploymentFacts, watch: DeploymentWatch): boolean =>
  watch.origin === 'deployment' &&
  j.settings.bakeMinutes > 0 &&
  (watch.alarms.length > 0 || j.settings.failedTasks.mode !== 'off');

/**
 * The deployment completed at `completedAt`: it is watched through its bake time (alarms and
 * failed tasks still count), or no longer. Every other watch of the service ends: those
 * deployments are over.
 */
const afterCompletion = (j: DeploymentFacts, completedAt: string): GuardAction[] => {
  const actions: GuardAction[] = j.history.watches
    .filter((w) => w.deploymentId !== j.deploymentId)
    .map((watch) => ({ type: 'end-watch', watch }));
  const watch = j.watch ?? newWatch(j, j.deployment?.createdAt?.toISOString() ?? completedAt);
  if (!bakes(j, watch)) {
    if (j.watch) actions.push({ type: 'end-watch', watch: j.watch });
    return actions;
  }
  const baking: DeploymentWatch = {
    ...watch,
    deadlineAt: undefined,
    completedAt,
    bakeUntil: iso(Date.parse(completedAt) + j.settings.bakeMinutes * 60_000),
  };
  actions.push(
    j.watch
      ? { type: 'update-watch', watch: baking, dueAt: dueAtOf(baking) }
      : { type: 'watch-deployment', watch: baking, dueAt: dueAtOf(baking) },
  );
  return actions;
};

export { afterCompletion, CLEANUP_MS, dueAtOf, newWatch };
