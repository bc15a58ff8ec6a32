import { type CheckReport, markOf, shownFindings } from '../report.ts';
import { portablePath } from '../triage.ts';

// GitHub's workflow command escaping: data escapes % \r \n; properties also : and ,.
const data = (text: string): string =>
  text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const property = (text: string): string => data(text).replaceAll(':', '%3A').replaceAll(',', '%2C');

const LEVEL = { blocking: 'error', failing: 'warning', unknown: 'notice' } as const;

/**
 * GitHub Actions annotations (workflow commands): an error for each finding that fails the build,
 * a warning for failures below the threshold, a notice for unknowns and for files not checked.
 */
const formatGithub = (report: CheckReport): string => {
  const lines: string[] = [];
  for (const f of shownFindings(report)) {
    const mark = markOf(f, report.gate);
    if (mark !== 'blocking' && mark !== 'failing' && mark !== 'unknown') continue;
    const props = `file=${property(portablePath(f.file))},line=${f.line},col=${f.column},title=${property(`${f.rule} (${f.severity})`)}`;
    lines.push(`::${LEVEL[mark]} ${props}::${data(f.message)}`);
  }
  for (const p of report.problems) {
    lines.push(
      `::${p.kind === 'unreadable' ? 'error' : 'notice'} file=${property(portablePath(p.file))},title=not checked::${data(p.message)}`,
    );
  }
  return lines.join('\n');
};

export { formatGithub };
