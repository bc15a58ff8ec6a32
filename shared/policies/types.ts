import type * as v from 'valibot';
import type { Severity } from '#kernel/alerts/model.ts';
import type { Rule as KernelRule } from '#kernel/rules.ts';
import type { PolicySubject, Target } from './documents.ts';

/** A rule's verdict on one subject, as cdk-nag's rules give it. */
type Compliance = 'compliant' | 'non-compliant' | 'not-applicable';

/**
 * A finding's status: a rule's verdict, an error the rule raised, a failure an exemption covers, or
 * "unknown" when the value the rule needs is a template placeholder (a verdict waits for rendering).
 */
type FindingStatus = Compliance | 'error' | 'exempt' | 'unknown';

/** A field inside a document, e.g. ['containerDefinitions', 0, 'image']. */
type FieldPath = readonly (string | number)[];

/** Where a finding applies: a document of the subject, a field in it, the container if any. */
interface FindingLocation {
  target: Target;
  path: FieldPath;
  container?: string | undefined;
}

/** One way a subject breaks a rule. Messages name fields, never their values (they may be secrets). */
interface Violation {
  message: string;
  location: FindingLocation;
  /** Set when the rule cannot tell: the value is a placeholder (`${IMAGE}`, `!Ref Image`). */
  unknown?: boolean | undefined;
}

/** Why a rule does not apply to a subject, for the finding's message. */
interface NotApplicable {
  notApplicable: string;
}

/** What a rule's check returns: a verdict, or the violations (none means compliant). */
type RuleOutcome = 'compliant' | 'not-applicable' | NotApplicable | readonly Violation[];

/** The option fields a rule accepts in a policy filter (valibot object entries, strict, with defaults). */
type OptionShape = v.ObjectEntries;

/** A rule's options after validation, defaults filled in. */
type OptionsOf<S extends OptionShape> = v.InferOutput<v.StrictObjectSchema<S, undefined>>;

/**
 * A built-in rule: a pure function of the subject and its options, with the metadata people and
 * SARIF need. The file that defines it is named after its id.
 */
interface Rule<S extends OptionShape = OptionShape>
  extends KernelRule<[PolicySubject, OptionsOf<S>], RuleOutcome> {
  /** Why it matters. */
  rationale: string;
  /** How to comply. */
  fix: string;
  severity: Severity;
  /** AWS Control Tower proactive controls this rule implements (or is stricter than). */
  controls: readonly string[];
  /**
   * What the rule applies to, completing "applies to ..." (e.g. "task definitions with containers");
   * a not-applicable finding without a reason of its own says this.
   */
  appliesTo?: string;
  /** The documents it reads; a policy whose resource has none of them cannot use it. */
  targets: readonly Target[];
  /** The option fields a policy filter may set (built when policies are first validated). */
  options(): S;
}

/** A rule of any options, for registries. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds rules of every option shape.
type AnyRule = Rule<any>;

/** One rule's result for one policy and subject (one per violation when it fails). */
interface Finding {
  policy: string;
  rule: string;
  status: FindingStatus;
  severity: Severity;
  message: string;
  location?: FindingLocation | undefined;
  /** Why a failure is exempt, or why a tag did not exempt it. */
  note?: string | undefined;
}

/** A not-applicable outcome that says why (the finding's message). */
const notApplicable = (reason: string): NotApplicable => ({ notApplicable: reason });

/** True for a not-applicable outcome, with or without a reason. */
const isNotApplicable = (outcome: RuleOutcome): outcome is 'not-applicable' | NotApplicable =>
  outcome === 'not-applicable' ||
  (typeof outcome === 'object' && !Array.isArray(outcome) && 'notApplicable' in outcome);

/** Defines a rule, keeping its options' type tied to its check. */
const defineRule = <S extends OptionShape>(rule: Rule<S>): Rule<S> => rule;

export type {
  AnyRule,
  Compliance,
  FieldPath,
  Finding,
  FindingLocation,
  FindingStatus,
  NotApplicable,
  OptionShape,
  OptionsOf,
  Rule,
  RuleOutcome,
  Violation,
};
export { defineRule, isNotApplicable, notApplicable };
