import { toError } from './errors.ts';

/**
 * A named, pure check: the contract the policy rules and the deployment guard's rollback rules
 * share (cdk-nag's rules are the model). `check` gets the subject and whatever else the family
 * passes, and returns that family's verdict.
 */
interface Rule<Args extends unknown[], Verdict> {
  /** Kebab-case, stable: reports, alerts and configuration name the rule by it. */
  id: string;
  /** The condition the rule holds to, in one line. */
  title: string;
  check(...args: Args): Verdict;
}

/**
 * Runs a rule. A rule that throws gives the verdict `onError` makes of the error instead of
 * breaking the whole decision (cdk-nag turns it into an error finding the same way).
 */
const applyRule = <Args extends unknown[], Verdict>(
  rule: Rule<Args, Verdict>,
  args: Args,
  onError: (error: Error) => Verdict,
): Verdict => {
  try {
    return rule.check(...args);
  } catch (error) {
    return onError(toError(error));
  }
};

export { applyRule, type Rule };
