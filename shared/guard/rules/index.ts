import { applyRule } from '#kernel/rules.ts';
import { ecsControllerOnly } from './ecs-controller-only.ts';
import { leaveEcsRollbackToEcs } from './leave-ecs-rollback-to-ecs.ts';
import { needsAPreviousVersion } from './needs-a-previous-version.ts';
import { neverRollBackARollback } from './never-roll-back-a-rollback.ts';
import { oncePerDeployment } from './once-per-deployment.ts';
import type { RollbackPlan, RollbackRule, RuleVerdict } from './rule.ts';
import { serviceDeploymentStoppable } from './service-deployment-stoppable.ts';
import { stillCurrent } from './still-current.ts';
import { targetNeverFailed } from './target-never-failed.ts';
import { taskDefinitionChanged } from './task-definition-changed.ts';

/** The rules every rollback must pass, in order: the first verdict wins. */
const ROLLBACK_RULES: readonly RollbackRule[] = [
  stillCurrent,
  oncePerDeployment,
  serviceDeploymentStoppable,
  leaveEcsRollbackToEcs,
  ecsControllerOnly,
  neverRollBackARollback,
  needsAPreviousVersion,
  taskDefinitionChanged,
  targetNeverFailed,
];

/**
 * The verdict of one rule on a plan, named after the rule. A rule that throws blocks the rollback
 * (people are told which rule failed): rolling back on a half-checked plan is worse than waiting.
 */
const verdictOf = (rule: RollbackRule, plan: RollbackPlan): RuleVerdict | undefined => {
  const verdict = applyRule(rule, [plan], (error) => ({
    outcome: 'block' as const,
    reason: `the rule ${rule.id} could not be checked (${error.name}: ${error.message.slice(0, 200)})`,
    nextSteps: ['Read the deployment guard logs; roll back by hand if the deployment is failing.'],
  }));
  return verdict && { rule: rule.id, ...verdict };
};

/** The first rule that stops the rollback, or undefined when every rule allows it. */
const blockingVerdict = (plan: RollbackPlan): RuleVerdict | undefined => {
  for (const rule of ROLLBACK_RULES) {
    const verdict = verdictOf(rule, plan);
    if (verdict) return verdict;
  }
  return undefined;
};

export { blockingVerdict, ROLLBACK_RULES, verdictOf };
