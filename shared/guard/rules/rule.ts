import type { Rule } from '#kernel/rules.ts';
import type { DeploymentOrigin } from '../records.ts';
import type { DeploymentFacts } from '../state.ts';

/** What a rollback would do, for the rules to judge. */
interface RollbackPlan {
  facts: DeploymentFacts;
  origin: DeploymentOrigin;
  /** The task definition of the last deployment that completed, if any. */
  target: string | undefined;
  /** Task definitions known to have failed on this service. */
  failedTaskDefinitions: ReadonlySet<string>;
}

/**
 * Why a rollback must not happen: "ignore" when there is nothing left to do (the deployment was
 * superseded or already rolled back), "block" when people must act (an alert says what to do).
 */
interface RuleVerdict {
  rule: string;
  outcome: 'ignore' | 'block';
  reason: string;
  nextSteps: string[];
  /** For an "ignore" that may change: when to look again. */
  retryAt?: Date;
}

/** A rule over a rollback plan; its check gives undefined when the rule allows the rollback. */
type RollbackRule = Rule<[RollbackPlan], Omit<RuleVerdict, 'rule'> | undefined>;

export type { RollbackPlan, RollbackRule, RuleVerdict };
