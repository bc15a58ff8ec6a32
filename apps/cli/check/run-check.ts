import { atLeast, type Severity } from '#kernel/alerts/model.ts';
import type { Policy, PolicyMode } from '#policies/config.ts';
import { evaluatePolicy } from '#policies/engine.ts';
import { RENDER_HINT } from '#policies/placeholders.ts';
import { inScope } from '#policies/scope.ts';
import { formatFieldPath } from '#policies/value-path.ts';
import type { CheckSubject } from './inputs/subject.ts';

/** Why a failure does not fail the build although it stands: a baseline or a suppression. */
type Triage =
  | { kind: 'baselined' }
  | { kind: 'suppressed'; reason: string; expires: string }
  | undefined;

/** One finding of `harbormaster check`, where it is in the file checked. */
interface CheckFinding {
  file: string;
  /** The resource in the file (a template's logical id, a plan's address), if the file has several. */
  resource: string | undefined;
  policy: string;
  mode: PolicyMode;
  rule: string;
  status: string;
  severity: Severity;
  message: string;
  container: string | undefined;
  /** The field in the document, e.g. containerDefinitions[0].image. */
  path: string | undefined;
  line: number;
  column: number;
  note: string | undefined;
  triage?: Triage;
}

/** What checking one subject found. */
interface SubjectResult {
  file: string;
  format: string;
  resource: string | undefined;
  family: string | undefined;
  policies: string[];
  findings: CheckFinding[];
}

/** How findings become an exit code. */
interface Gate {
  /** The lowest severity that fails the build (undefined: none does). */
  failOn: Severity | undefined;
  /** Every policy gates as if in enforce mode (CI, whatever the live stack does). */
  enforceAll: boolean;
}

const FAILING = new Set(['non-compliant', 'error']);

/** True for a finding that fails its rule and is neither baselined nor suppressed. */
const isFailing = (finding: Pick<CheckFinding, 'status' | 'triage'>): boolean =>
  FAILING.has(finding.status) && finding.triage === undefined;

/** True for a failure that fails the build: enforce mode (or --enforce), at or above --fail-on. */
const isBlocking = (finding: CheckFinding, gate: Gate): boolean =>
  isFailing(finding) &&
  (gate.enforceAll || finding.mode === 'enforce') &&
  gate.failOn !== undefined &&
  atLeast(finding.severity, gate.failOn);

/**
 * A container definitions list (Terraform's container_definitions) holds no task-level settings:
 * a failure about one (networkMode, taskRoleArn) is unknown, as the setting is made elsewhere.
 */
const setElsewhere = (
  subject: CheckSubject,
  f: {
    status: string;
    location?: { target: string; path: readonly (string | number)[] } | undefined;
  },
): string | undefined => {
  if (subject.format !== 'container-definitions' || f.status !== 'non-compliant') return undefined;
  const field = f.location?.path[0];
  if (
    f.location?.target !== 'taskDefinition' ||
    field === undefined ||
    field === 'containerDefinitions'
  )
    return undefined;
  return `unknown: the file holds container definitions only, so ${String(field)} is set where the task definition is (the aws_ecs_task_definition resource); ${RENDER_HINT}`;
};

const appliesTo = (policy: Policy, subject: CheckSubject): boolean => {
  if (policy.resource === 'ecs-service') return subject.service !== undefined;
  if (policy.resource === 'ecs-task') return false;
  return subject.taskDefinition !== undefined;
};

/**
 * Evaluates one subject with the Lambda's engine and rules. Task definition policies apply to
 * every task definition their scope can match from the file alone (families, tags; a pipeline
 * knows no cluster); service policies apply where the file has the service. A task definition
 * whose containers the file cannot know yet gets one "unknown" finding instead.
 */
const checkSubject = (
  subject: CheckSubject,
  policies: readonly Policy[],
  context: { now: Date; exemptionTag: string },
): SubjectResult => {
  const applicable = policies.filter(
    (p) =>
      appliesTo(p, subject) && inScope(p.scope, { family: subject.family, tags: subject.tags }),
  );
  const base = { file: subject.file, resource: subject.resource };
  if (subject.unknownBecause) {
    return {
      ...base,
      format: subject.format,
      family: subject.family,
      policies: applicable.map((p) => p.name),
      findings: [
        {
          ...base,
          policy: applicable[0]?.name ?? 'built-in',
          mode: applicable[0]?.mode ?? 'audit',
          rule: 'task-definition',
          status: 'unknown',
          severity: 'info',
          message: `unknown: ${subject.unknownBecause}; ${RENDER_HINT}`,
          container: undefined,
          path: undefined,
          ...subject.locate('taskDefinition', ['containerDefinitions']),
          note: undefined,
        },
      ],
    };
  }
  const findings = applicable.flatMap((policy) =>
    evaluatePolicy(
      policy,
      {
        taskDefinition: subject.taskDefinition,
        service: policy.resource === 'ecs-service' ? subject.service : undefined,
        deployedAs: subject.deployedAs,
      },
      { ...context, tags: subject.tags },
    ).findings.map((f): CheckFinding => {
      const target = f.location?.target ?? 'taskDefinition';
      const { line, column } = subject.locate(target, f.location?.path ?? []);
      const elsewhere = setElsewhere(subject, f);
      return {
        ...base,
        policy: policy.name,
        mode: policy.mode,
        rule: f.rule,
        status: elsewhere ? 'unknown' : f.status,
        severity: f.severity,
        message: elsewhere ?? f.message,
        container: f.location?.container,
        path: f.location ? formatFieldPath(f.location.path) : undefined,
        line,
        column,
        note: f.note,
      };
    }),
  );
  return {
    ...base,
    format: subject.format,
    family: subject.family,
    policies: applicable.map((p) => p.name),
    findings,
  };
};

export {
  type CheckFinding,
  checkSubject,
  type Gate,
  isBlocking,
  isFailing,
  type SubjectResult,
  type Triage,
};
