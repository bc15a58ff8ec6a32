import { type CheckReport, shownFindings, summaryOf } from '../report.ts';

/** One JSON object: the documents checked, the findings (all, or only failures), problems, a summary. */
const formatJson = (report: CheckReport): string =>
  JSON.stringify(
    {
      version: report.version,
      checked: report.results.map(({ findings: _findings, ...subject }) => subject),
      findings: shownFindings(report),
      notChecked: report.problems,
      notes: report.notes,
      summary: summaryOf(report),
    },
    null,
    2,
  );

export { formatJson };
