import type { ResolvedAnalysis } from './measure.ts';
import type { AnalysisProgress, Measurement, RunStatus } from './model.ts';

// An alert lists at most this many measurements per analysis (the counts say how many there were).
const LISTED = 10;

/** An analysis as an alert reports it: its rule, its counts and its measurements. */
interface AnalysisReport {
  name: string;
  label: string;
  unit: '%' | 's' | '';
  status: RunStatus;
  /** The conditions in words, e.g. "fails when result - baseline > 1". */
  rule: string;
  minRequests: number;
  counts: Record<Measurement['phase'], number>;
  limits: { count: number; failureLimit: number; inconclusiveLimit: number };
  measurements: Measurement[];
}

const reportOf = (analysis: ResolvedAnalysis, progress: AnalysisProgress): AnalysisReport => {
  const counts = { successful: 0, failed: 0, inconclusive: 0, error: 0 };
  for (const m of progress.measurements) counts[m.phase] += 1;
  const rule = [
    analysis.failure ? `fails when ${analysis.failure.text}` : undefined,
    analysis.success ? `passes when ${analysis.success.text}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const { count, failureLimit, inconclusiveLimit } = analysis.config;
  return {
    name: analysis.config.name,
    label: analysis.label,
    unit: analysis.unit,
    status: progress.status,
    rule,
    minRequests: analysis.minRequests,
    counts,
    limits: { count, failureLimit, inconclusiveLimit },
    measurements: progress.measurements.slice(-LISTED),
  };
};

const formatValue = (value: number | undefined, unit: AnalysisReport['unit']): string => {
  if (value === undefined) return 'no value';
  if (unit === '%') return `${value.toFixed(2)}%`;
  if (unit === 's') return `${(value * 1000).toFixed(0)} ms`;
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
};

const time = (iso: string | undefined): string => (iso ? iso.slice(11, 16) : '--:--');

/** One measurement in words: when, green against blue, requests, the phase and why. */
const measurementLine = (report: AnalysisReport, m: Measurement): string => {
  const green = `green ${formatValue(m.value, report.unit)}${m.requests === undefined ? '' : ` (${m.requests} req)`}`;
  const blue =
    m.baseline === undefined && m.baselineRequests === undefined
      ? ''
      : ` vs blue ${formatValue(m.baseline, report.unit)}${m.baselineRequests === undefined ? '' : ` (${m.baselineRequests} req)`}`;
  const why = m.note ? `: ${m.note}` : '';
  return m.phase === 'error'
    ? `  error${why}`
    : `  ${time(m.at)} UTC ${green}${blue}: ${m.phase}${why}`;
};

/** The headline of an analysis: its name, rule, counts against its limits. */
const headlineOf = (r: AnalysisReport): string => {
  const c = r.counts;
  return `${r.name} (${r.label}, ${r.rule}${r.minRequests > 0 ? `, at least ${r.minRequests} requests` : ''}): ${r.status}: ${c.successful} successful, ${c.failed} failed (limit ${r.limits.failureLimit}), ${c.inconclusive} inconclusive (limit ${r.limits.inconclusiveLimit}) of ${r.limits.count}${c.error > 0 ? `, ${c.error} errors` : ''}`;
};

/** An analysis report as alert lines: its headline, then its measurements. */
const reportLines = (r: AnalysisReport): string[] => [
  headlineOf(r),
  ...r.measurements.map((m) => measurementLine(r, m)),
];

/** One line per analysis for a verdict summary (what an approval request shows). */
const summaryLine = (r: AnalysisReport): string => {
  const last = r.measurements.filter((m) => m.phase !== 'error').at(-1);
  return `${headlineOf(r)}${
    last
      ? `; last:${measurementLine(r, last)
          .trimStart()
          .replace(/^\d\d:\d\d UTC/, '')}`
      : ''
  }`;
};

export { type AnalysisReport, reportLines, reportOf, summaryLine };
