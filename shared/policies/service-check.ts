import type { PolicyMode } from './config.ts';
import type { PolicySubject } from './documents.ts';
import { type EvaluationContext, evaluatePolicy, failingRules } from './engine.ts';
import { ruleById } from './rules/index.ts';
import { inScope, type ScopeFacts } from './scope.ts';
import { formatFieldPath } from './value-path.ts';

/** One ecs-service policy's result on a revision, for people. */
interface ServicePolicyResult {
  policy: string;
  mode: PolicyMode;
  /** `rule: message (container c) at path`, one per failure. */
  findings: string[];
  /** The failing rules' ids. */
  rules: string[];
}

/**
 * What the policies wing offers progressive delivery's policy gate: the ecs-service policies in
 * scope of a service, evaluated on the revision it is about to run (exemptions applied), each
 * with its failures said as the enforcer says them.
 */
const checkServiceRevision = (
  policies: readonly Parameters<typeof evaluatePolicy>[0][],
  facts: ScopeFacts,
  subject: PolicySubject,
  context: EvaluationContext,
): ServicePolicyResult[] =>
  policies
    .filter((policy) => policy.resource === 'ecs-service' && inScope(policy.scope, facts))
    .map((policy) => {
      const e = evaluatePolicy(policy, subject, context);
      return {
        policy: policy.name,
        mode: policy.mode,
        findings: e.failures.map(
          (f) =>
            `${f.rule}: ${f.message}${f.location?.container ? ` (container ${f.location.container})` : ''}${f.location ? ` at ${formatFieldPath(f.location.path)}` : ''}`,
        ),
        rules: failingRules(e),
      };
    });

/** How to fix a failing rule, as its definition says (a value filter has none). */
const fixOfRule = (id: string): string | undefined => ruleById(id)?.fix;

export { checkServiceRevision, fixOfRule, type ServicePolicyResult };
