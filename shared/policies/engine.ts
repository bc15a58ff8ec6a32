import type { Severity } from '#kernel/alerts/model.ts';
import { applyRule } from '#kernel/rules.ts';
import { isValueFilter, type Policy, type PolicyFilter } from './config.ts';
import type { PolicySubject } from './documents.ts';
import { exemptionFor } from './exemptions.ts';
import { ruleById } from './rules/index.ts';
import { type Finding, isNotApplicable, type RuleOutcome } from './types.ts';
import { compileValueFilter } from './value-filter.ts';

/** One check of a policy, ready to run. */
interface CompiledCheck {
  id: string;
  title: string;
  /** Why a bare not-applicable verdict does not apply. */
  notApplicable: string;
  severity: Severity;
  run(subject: PolicySubject): RuleOutcome;
}

/** What the context of an evaluation provides: the time and the tags that may exempt. */
interface EvaluationContext {
  now: Date;
  exemptionTag: string;
  /** The resource's tags merged over its task definition's. */
  tags: Readonly<Record<string, string>>;
}

/** One policy's result on one subject. */
interface PolicyEvaluation {
  policy: Policy;
  findings: Finding[];
  /** Findings that fail the policy: non-compliant (not exempt) or errors. */
  failures: Finding[];
}

const compile = (filter: PolicyFilter, policy: Policy): CompiledCheck => {
  if (isValueFilter(filter)) {
    return {
      id: filter.id,
      title: filter.description ?? `${filter.key} ${filter.op}`,
      notApplicable: `not applicable: the ${filter.target} document it reads is not part of this check`,
      severity: filter.severity ?? policy.severity ?? 'warning',
      run: compileValueFilter(filter),
    };
  }
  const rule = ruleById(filter.type);
  if (!rule) throw new Error(`unknown rule ${filter.type}`); // the configuration schema prevents it
  return {
    id: rule.id,
    title: rule.title,
    notApplicable: `not applicable: the rule applies to ${rule.appliesTo ?? rule.targets.join(' and ')}`,
    severity: filter.severity ?? rule.severity,
    run: (subject) => rule.check(subject, filter),
  };
};

// Configurations are frozen and long-lived: each policy is compiled once (patterns, key paths).
const compiled = new WeakMap<Policy, CompiledCheck[]>();
const checksOf = (policy: Policy): CompiledCheck[] => {
  let checks = compiled.get(policy);
  if (!checks) {
    checks = policy.filters.map((filter) => compile(filter, policy));
    compiled.set(policy, checks);
  }
  return checks;
};

const runCheck = (check: CompiledCheck, subject: PolicySubject): RuleOutcome | Error =>
  applyRule<[PolicySubject], RuleOutcome | Error>(
    { id: check.id, title: check.title, check: check.run },
    [subject],
    (error) => error,
  );

/**
 * Evaluates one policy on one subject. Every check runs; one that throws becomes an "error"
 * finding (cdk-nag's applyRule) and the others still run. Failures an unexpired exemption tag
 * covers become "exempt".
 */
const evaluatePolicy = (
  policy: Policy,
  subject: PolicySubject,
  context: EvaluationContext,
): PolicyEvaluation => {
  const findings: Finding[] = [];
  for (const check of checksOf(policy)) {
    const base = { policy: policy.name, rule: check.id, severity: check.severity };
    const outcome = runCheck(check, subject);
    if (outcome instanceof Error) {
      findings.push({
        ...base,
        status: 'error',
        message: `the rule failed to evaluate (${outcome.name}: ${outcome.message.slice(0, 200)})`,
      });
      continue;
    }
    if (isNotApplicable(outcome)) {
      findings.push({
        ...base,
        status: 'not-applicable',
        message: typeof outcome === 'object' ? outcome.notApplicable : check.notApplicable,
      });
      continue;
    }
    if (outcome === 'compliant' || outcome.length === 0) {
      findings.push({ ...base, status: 'compliant', message: check.title });
      continue;
    }
    const verdict = exemptionFor(
      context.tags,
      context.exemptionTag,
      policy.name,
      check.id,
      context.now,
    );
    for (const violation of outcome) {
      if (violation.unknown) {
        findings.push({
          ...base,
          status: 'unknown',
          message: violation.message,
          location: violation.location,
        });
        continue;
      }
      findings.push({
        ...base,
        status: verdict.exempt ? 'exempt' : 'non-compliant',
        message: violation.message,
        location: violation.location,
        note: verdict.note,
      });
    }
  }
  return {
    policy,
    findings,
    failures: findings.filter((f) => f.status === 'non-compliant' || f.status === 'error'),
  };
};

/** The failures that concern the task definition itself (not the service or the launch). */
const taskDefinitionFailures = (evaluation: PolicyEvaluation): Finding[] =>
  evaluation.failures.filter(
    (f) => f.location?.target !== 'service' && f.location?.target !== 'run',
  );

/** The ids of the rules an evaluation fails, sorted, each once. */
const failingRules = (evaluation: PolicyEvaluation): string[] =>
  [...new Set(evaluation.failures.map((f) => f.rule))].sort();

export {
  type EvaluationContext,
  evaluatePolicy,
  failingRules,
  type PolicyEvaluation,
  taskDefinitionFailures,
};
