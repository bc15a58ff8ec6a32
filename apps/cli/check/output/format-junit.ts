import { type CheckReport, markOf } from '../report.ts';
import type { CheckFinding } from '../run-check.ts';

const xml = (text: string): string =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    // Characters XML 1.0 forbids.
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, '\uFFFD');

const caseName = (f: CheckFinding): string =>
  [f.rule, f.container ? `container ${f.container}` : undefined, f.path].filter(Boolean).join(' ');

/**
 * JUnit XML for CI test reports (GitLab, Jenkins, Azure DevOps): a suite per task definition, a
 * test case per finding; a failure for what fails the build, skipped for the rest that is not
 * compliant (failures below the threshold, unknowns, accepted and not-applicable findings).
 */
const formatJunit = (report: CheckReport): string => {
  const suites = report.results.map((result) => {
    const findings = report.onlyFailures
      ? result.findings.filter((f) =>
          ['blocking', 'failing', 'unknown'].includes(markOf(f, report.gate)),
        )
      : result.findings;
    const cases = findings.map((f) => {
      const mark = markOf(f, report.gate);
      const attrs = `name="${xml(caseName(f))}" classname="${xml(`${f.policy}.${f.rule}`)}" file="${xml(f.file)}" line="${f.line}"`;
      if (mark === 'blocking') {
        return `    <testcase ${attrs}>\n      <failure message="${xml(f.message)}" type="${xml(f.severity)}">${xml(`${f.file}:${f.line}:${f.column} ${f.message}`)}</failure>\n    </testcase>`;
      }
      if (f.status === 'compliant') return `    <testcase ${attrs}/>`;
      return `    <testcase ${attrs}>\n      <skipped message="${xml(`${mark === 'passing' ? f.status : mark}: ${f.message}`)}"/>\n    </testcase>`;
    });
    const failures = findings.filter((f) => markOf(f, report.gate) === 'blocking').length;
    const skipped = findings.filter(
      (f) => f.status !== 'compliant' && markOf(f, report.gate) !== 'blocking',
    ).length;
    const name = [result.file, result.resource].filter(Boolean).join(' ');
    return `  <testsuite name="${xml(name)}" tests="${findings.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const problems = report.problems.map(
    (p) =>
      `  <testsuite name="${xml(p.file)}" tests="1" failures="0" errors="${p.kind === 'unreadable' ? 1 : 0}" skipped="${p.kind === 'unreadable' ? 0 : 1}">\n    <testcase name="read" classname="harbormaster.input">\n      ${p.kind === 'unreadable' ? `<error message="${xml(p.message)}"/>` : `<skipped message="${xml(p.message)}"/>`}\n    </testcase>\n  </testsuite>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="harbormaster check">\n${[...suites, ...problems].join('\n')}\n</testsuites>`;
};

export { formatJunit };
