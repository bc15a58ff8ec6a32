import type { CheckReport } from '../report.ts';
import { markOf, summaryOf } from '../report.ts';
import type { CheckFinding } from '../run-check.ts';

const MARKS = {
  blocking: '\u2717',
  failing: '!',
  unknown: '?',
  accepted: '~',
  passing: ' ',
} as const;

const why = (f: CheckFinding): string | undefined => {
  if (f.triage?.kind === 'suppressed')
    return `suppressed until ${f.triage.expires}: ${f.triage.reason}`;
  if (f.triage?.kind === 'baselined') return 'in the baseline';
  return f.note;
};

/** The human-readable report: per task definition, what fails and why, then a summary. */
const formatText = (report: CheckReport): string => {
  const lines: string[] = [];
  for (const result of report.results) {
    const shown = result.findings.filter((f) => markOf(f, report.gate) !== 'passing');
    if (report.onlyFailures && shown.every((f) => markOf(f, report.gate) === 'accepted')) continue;
    const failing = result.findings.filter((f) =>
      ['blocking', 'failing'].includes(markOf(f, report.gate)),
    );
    const name = [result.file, result.resource].filter(Boolean).join(' ');
    lines.push(
      `${name} (${result.family ?? 'no family'}, ${result.format}): ${failing.length} failing finding(s) of ${result.policies.join(', ') || 'no policy'}`,
    );
    for (const f of shown) {
      if (report.onlyFailures && markOf(f, report.gate) === 'accepted') continue;
      const where = [
        `${f.file}:${f.line}:${f.column}`,
        f.path,
        f.container ? `container ${f.container}` : undefined,
      ].filter(Boolean);
      lines.push(
        `  ${MARKS[markOf(f, report.gate)]} ${f.rule} [${f.severity}, ${f.policy} ${f.mode}] ${where.join('  ')}`,
      );
      const reason = why(f);
      lines.push(`      ${f.message}${reason ? ` (${reason})` : ''}`);
    }
    if (!report.onlyFailures) {
      const count = (status: string) => result.findings.filter((f) => f.status === status).length;
      lines.push(`  ${count('compliant')} compliant, ${count('not-applicable')} not applicable`);
    }
  }
  for (const problem of report.problems)
    lines.push(`${problem.file}: not checked: ${problem.message}`);
  for (const note of report.notes) lines.push(`${note.file}: nothing to check: ${note.message}`);
  const s = summaryOf(report);
  lines.push(
    `${s.checked} task definition(s) and service(s) checked in ${s.files} file(s), ${s.notChecked} not checked; ${s.failing} failing, ${s.blocking} failing the build (--fail-on ${s.failOn}), ${s.unknown} unknown, ${s.suppressed + s.baselined + s.exempt} accepted (suppressed, baselined or exempt).`,
  );
  if (s.unknown > 0)
    lines.push(
      'Unknown findings read template placeholders: check the rendered document to decide them.',
    );
  return lines.join('\n');
};

export { formatText };
