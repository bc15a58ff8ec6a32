import { type FileResult, isBlocking, isFailing } from './run-check.ts';

/** The human-readable report: failing findings with file:line, then a summary. */
const formatText = (results: readonly FileResult[]): string => {
  const lines: string[] = [];
  for (const result of results) {
    const failing = result.findings.filter(isFailing);
    const exempt = result.findings.filter((f) => f.status === 'exempt');
    const count = (status: string) => result.findings.filter((f) => f.status === status).length;
    lines.push(
      `${result.file} (${result.family ?? 'no family'}): ${failing.length} failing finding(s) of ${result.policies.join(', ') || 'no policy'}`,
    );
    for (const f of [...failing, ...exempt]) {
      const mark = f.status === 'exempt' ? '~' : isBlocking(f) ? '\u2717' : '!';
      const where = [
        `${f.file}:${f.line}:${f.column}`,
        f.path,
        f.container ? `container ${f.container}` : undefined,
      ].filter(Boolean);
      lines.push(`  ${mark} ${f.rule} [${f.severity}, ${f.policy} ${f.mode}] ${where.join('  ')}`);
      lines.push(`      ${f.message}${f.note ? ` (${f.note})` : ''}`);
    }
    lines.push(
      `  ${count('compliant')} compliant, ${count('not-applicable')} not applicable, ${exempt.length} exempt`,
    );
  }
  const blocking = results.flatMap((r) => r.findings).filter(isBlocking).length;
  lines.push(
    blocking > 0
      ? `${blocking} failing finding(s) in enforce-mode policies.`
      : 'No failing finding in enforce-mode policies.',
  );
  return lines.join('\n');
};

export { formatText };
