import { type WakeAction, wakesFor } from '#aws/wakeups/wake.ts';
import type { Decision } from '#kernel/decision.ts';
import type { GuardAction } from './actions/index.ts';

/**
 * The deployment guard's decision with its wake-ups (pure): every watch it starts or rewrites falls
 * due at its `dueAt` (deadline, end of the bake time, ECS's promised rollback, cleanup), and the
 * guard asks to be invoked then instead of sweeping every minute. A deadline whose deployment
 * completed first still wakes the guard once; the sweep then finds nothing due.
 */
const withGuardWakes = (decision: Decision<GuardAction>): Decision<GuardAction | WakeAction> => {
  const due = decision.actions.flatMap((a) =>
    a.type === 'watch-deployment' || a.type === 'update-watch'
      ? [
          {
            at: a.dueAt,
            why: `${a.watch.cluster}/${a.watch.service} deployment ${a.watch.deploymentId}`,
          },
        ]
      : [],
  );
  if (due.length === 0) return decision;
  return { ...decision, actions: [...decision.actions, ...wakesFor(due)] };
};

export { withGuardWakes };
