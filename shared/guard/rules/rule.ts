import type { DeploymentOrigin } from '../records.ts';
import type { Judged } from '../state.ts';

/** What a rollback would do, for the rules to judge. */
interface RollbackPlan {
  judged: Judged;
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

/** A rule over a rollback plan; undefined when the rule allows the rollback. */
type RollbackRule = (plan: RollbackPlan) => RuleVerdict | undefined;

export type { RollbackPlan, RollbackRule, RuleVerdict };
