import { ECS_ROLLBACK_GRACE_MS, ecsRollsBack } from '../deployments.ts';
import type { RollbackRule } from './rule.ts';

/**
 * A deployment ECS failed and is about to roll back is left to ECS for a grace period, so that the
 * guard never races ECS's own rollback; if ECS has not rolled back by then, the guard may.
 */
const leaveEcsRollbackToEcs: RollbackRule = {
  id: 'leave-ecs-rollback-to-ecs',
  title:
    "A deployment ECS failed and is about to roll back is left to ECS for a grace period, so that the guard never races ECS's own rollback; if ECS has not rolled back by then, the guard may",
  check: ({ facts }) => {
    const d = facts.deployment;
    if (d?.rolloutState !== 'FAILED' || !ecsRollsBack(facts)) return undefined;
    const failedAt = d.updatedAt?.getTime() ?? facts.now.getTime();
    const retryAt = new Date(failedAt + ECS_ROLLBACK_GRACE_MS);
    if (facts.now.getTime() >= retryAt.getTime()) return undefined;
    return {
      outcome: 'ignore',
      reason: `ECS failed the deployment and rolls it back by itself (checked again at ${retryAt.toISOString()})`,
      nextSteps: [],
      retryAt,
    };
  },
};

export { leaveEcsRollbackToEcs };
