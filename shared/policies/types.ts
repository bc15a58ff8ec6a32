import type * as v from 'valibot';
import type { Severity } from '#kernel/alerts/model.ts';
import type { Rule as KernelRule } from '#kernel/rules.ts';
import type { PolicySubject, Target } from './documents.ts';

/** A rule's verdict on one subject, as cdk-nag's rules give it. */
type Compliance = 'compliant' | 'non-compliant' | 'not-applicable';

/** A finding's status: a rule's verdict, an error the rule raised, or a failure an exemption covers. */
type FindingStatus = Compliance | 'error' | 'exempt';

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
}

/** What a rule's check returns: a verdict, or the violations (none means compliant). */
type RuleOutcome = 'compliant' | 'not-applicable' | readonly Violation[];

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

/** Defines a rule, keeping its options' type tied to its check. */
const defineRule = <S extends OptionShape>(rule: Rule<S>): Rule<S> => rule;

export type {
  AnyRule,
  Compliance,
  FieldPath,
  Finding,
  FindingLocation,
  FindingStatus,
  OptionShape,
  OptionsOf,
  Rule,
  RuleOutcome,
  Violation,
};
export { defineRule };
