import { type FileResult, isBlocking, isFailing } from './run-check.ts';

/** One JSON object: the files checked, every finding (failing ones with location), a summary. */
const formatJson = (results: readonly FileResult[], exitCode: number): string => {
  const findings = results.flatMap((r) => r.findings);
  return JSON.stringify(
    {
      files: results.map(({ findings: _findings, ...file }) => file),
      findings,
      summary: {
        files: results.length,
        failing: findings.filter(isFailing).length,
        blocking: findings.filter(isBlocking).length,
        exempt: findings.filter((f) => f.status === 'exempt').length,
        exitCode,
      },
    },
    null,
    2,
  );
};

export { formatJson };
