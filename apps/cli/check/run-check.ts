import type { Severity } from '#kernel/alerts/model.ts';
import type { Policy, PolicyMode } from '#policies/config.ts';
import { evaluatePolicy } from '#policies/engine.ts';
import { inScope } from '#policies/scope.ts';
import { formatFieldPath } from '#policies/value-path.ts';
import type { TaskDefinitionFile } from './input.ts';

/** One finding of `harbormaster check`, where it is in the file included. */
interface CheckFinding {
  file: string;
  policy: string;
  mode: PolicyMode;
  rule: string;
  status: string;
  severity: Severity;
  message: string;
  container: string | undefined;
  /** The field in the task definition, e.g. containerDefinitions[0].image. */
  path: string | undefined;
  line: number;
  column: number;
  note: string | undefined;
}

/** What checking one file found. */
interface FileResult {
  file: string;
  shape: string;
  family: string | undefined;
  policies: string[];
  findings: CheckFinding[];
}

const FAILING = new Set(['non-compliant', 'error']);

/** True for a finding that fails its policy (not compliant, not applicable, not exempt). */
const isFailing = (finding: Pick<CheckFinding, 'status'>): boolean => FAILING.has(finding.status);

/** True for a failure that makes the command exit non-zero: one of an enforce-mode policy. */
const isBlocking = (finding: Pick<CheckFinding, 'status' | 'mode'>): boolean =>
  isFailing(finding) && finding.mode === 'enforce';

/**
 * Evaluates a task definition file with the Lambda's engine and rules. Every policy applies whose
 * scope can match a definition alone (families, tags); a CI pipeline knows no cluster or service,
 * so those criteria are not applied, and rules about services or launches are not applicable.
 */
const checkFile = (
  input: TaskDefinitionFile,
  policies: readonly Policy[],
  context: { now: Date; exemptionTag: string },
): FileResult => {
  const applicable = policies.filter((p) =>
    inScope(p.scope, { family: input.family, tags: input.tags }),
  );
  const findings = applicable.flatMap((policy) =>
    evaluatePolicy(
      policy,
      { taskDefinition: input.definition },
      { ...context, tags: input.tags },
    ).findings.map((f): CheckFinding => {
      const where = f.location?.target === 'taskDefinition' ? f.location.path : [];
      const { line, column } = input.locate(where);
      return {
        file: input.file,
        policy: policy.name,
        mode: policy.mode,
        rule: f.rule,
        status: f.status,
        severity: f.severity,
        message: f.message,
        container: f.location?.container,
        path: f.location ? formatFieldPath(f.location.path) : undefined,
        line,
        column,
        note: f.note,
      };
    }),
  );
  return {
    file: input.file,
    shape: input.shape,
    family: input.family,
    policies: applicable.map((p) => p.name),
    findings,
  };
};

export { type CheckFinding, checkFile, type FileResult, isBlocking, isFailing };
