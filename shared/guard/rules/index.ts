import { leaveEcsRollbackToEcs } from './leave-ecs-rollback-to-ecs.ts';
import { needsAPreviousVersion } from './needs-a-previous-version.ts';
import { neverRollBackARollback } from './never-roll-back-a-rollback.ts';
import { oncePerDeployment } from './once-per-deployment.ts';
import { rollingControllerOnly } from './rolling-controller-only.ts';
import type { RollbackPlan, RollbackRule, RuleVerdict } from './rule.ts';
import { stillCurrent } from './still-current.ts';
import { targetNeverFailed } from './target-never-failed.ts';
import { taskDefinitionChanged } from './task-definition-changed.ts';

/** The rules every rollback must pass, in order: the first verdict wins. */
const ROLLBACK_RULES: readonly RollbackRule[] = [
  stillCurrent,
  oncePerDeployment,
  leaveEcsRollbackToEcs,
  rollingControllerOnly,
  neverRollBackARollback,
  needsAPreviousVersion,
  taskDefinitionChanged,
  targetNeverFailed,
];

/** The first rule that stops the rollback, or undefined when every rule allows it. */
const judgeRollback = (plan: RollbackPlan): RuleVerdict | undefined => {
  for (const rule of ROLLBACK_RULES) {
    const verdict = rule(plan);
    if (verdict) return verdict;
  }
  return undefined;
};

export { judgeRollback, ROLLBACK_RULES };
