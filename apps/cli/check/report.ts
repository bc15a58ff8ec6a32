import type { InputProblem } from './inputs/subject.ts';
import {
  type CheckFinding,
  type Gate,
  isBlocking,
  isFailing,
  type SubjectResult,
} from './run-check.ts';

/** Everything one `harbormaster check` run found, for every output format. */
interface CheckReport {
  version: string;
  results: SubjectResult[];
  problems: InputProblem[];
  /** Files read that held nothing to check (a plan without task definitions). */
  notes: { file: string; message: string }[];
  gate: Gate;
  onlyFailures: boolean;
  /** True when a baseline decided which failures are new. */
  baselineUsed: boolean;
  exitCode: number;
}

/** The findings a report shows: all of them, or (with --only-failures) failures and unknowns. */
const shownFindings = (report: CheckReport): CheckFinding[] => {
  const all = report.results.flatMap((r) => r.findings);
  return report.onlyFailures ? all.filter((f) => isFailing(f) || f.status === 'unknown') : all;
};

/** Counts for the summary line and the JSON summary. */
const summaryOf = (report: CheckReport) => {
  const all = report.results.flatMap((r) => r.findings);
  const count = (test: (f: CheckFinding) => boolean) => all.filter(test).length;
  return {
    files: new Set([...report.results.map((r) => r.file), ...report.problems.map((p) => p.file)])
      .size,
    checked: report.results.length,
    notChecked: report.problems.length,
    failing: count(isFailing),
    blocking: count((f) => isBlocking(f, report.gate)),
    unknown: count((f) => f.status === 'unknown'),
    suppressed: count((f) => f.triage?.kind === 'suppressed'),
    baselined: count((f) => f.triage?.kind === 'baselined'),
    exempt: count((f) => f.status === 'exempt'),
    failOn: report.gate.failOn ?? 'none',
    exitCode: report.exitCode,
  };
};

/** How a finding is marked in text and annotations. */
const markOf = (
  finding: CheckFinding,
  gate: Gate,
): 'blocking' | 'failing' | 'unknown' | 'accepted' | 'passing' => {
  if (isBlocking(finding, gate)) return 'blocking';
  if (isFailing(finding)) return 'failing';
  if (finding.status === 'unknown') return 'unknown';
  if (finding.triage || finding.status === 'exempt') return 'accepted';
  return 'passing';
};

export { type CheckReport, markOf, shownFindings, summaryOf };
