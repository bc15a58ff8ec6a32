import { wakeupKey } from '#aws/wakeups/port.ts';
import { type CancelWakeAction, type WakeAction, wakesFor } from '#aws/wakeups/wake.ts';
import type { Decision } from '#kernel/decision.ts';
import type { GuardAction } from './actions/index.ts';
import type { DeploymentWatch } from './records.ts';
import type { GuardState } from './state.ts';

type Due = { at: string; why: string; key?: string };

const idOf = (w: Pick<DeploymentWatch, 'cluster' | 'service' | 'deploymentId'>) =>
  `${w.cluster}/${w.service} deployment ${w.deploymentId}`;

/**
 * The deployment guard's decision with its wake-ups (pure). Every watch it starts or rewrites
 * falls due at its `dueAt`, and the guard asks to be invoked then instead of sweeping every
 * minute. A deadline is the deployment's own wake-up, cancelled when the watch moves on before it
 * (the deployment completed, was replaced or rolled back); the other due times (end of the bake
 * time, ECS's promised rollback, the cleanup) share one wake-up per minute with whatever else is
 * due then.
 */
const withGuardWakes = (
  decision: Decision<GuardAction>,
  state: GuardState,
): Decision<GuardAction | WakeAction | CancelWakeAction> => {
  const previous = new Map(
    state.services.flatMap((s) => s.history.watches).map((w) => [idOf(w), w] as const),
  );
  const due: Due[] = [];
  const cancels: CancelWakeAction[] = [];
  for (const a of decision.actions) {
    if (a.type !== 'watch-deployment' && a.type !== 'update-watch' && a.type !== 'end-watch')
      continue;
    const id = idOf(a.watch);
    const key = wakeupKey(id);
    const before = previous.get(id)?.deadlineAt;
    const next = a.type === 'end-watch' ? undefined : a.dueAt;
    if (next !== undefined)
      due.push(a.watch.deadlineAt === next ? { at: next, why: id, key } : { at: next, why: id });
    if (before !== undefined && before !== next)
      cancels.push({ type: 'cancel-wake', at: before, key, why: `${id}: deadline no longer due` });
  }
  if (due.length === 0 && cancels.length === 0) return decision;
  return { ...decision, actions: [...decision.actions, ...wakesFor(due), ...cancels] };
};

export { withGuardWakes };
