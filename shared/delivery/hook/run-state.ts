import type {
  AnalysisProgress,
  Measurement,
  MeasurementPhase,
  RunStatus,
} from '../analysis/model.ts';

/**
 * An analysis gate's run at one traffic share of green: started when green's share last changed,
 * carried across IN_PROGRESS answers until it ends.
 */
interface GateRun {
  /** `share:<green's production share>`: one run per share, whichever stage judges it. */
  key: string;
  stage: string;
  share: number;
  /** ISO-8601: when the window began (green's last shift, or the first invocation). */
  startedAt: string;
  analyses: AnalysisProgress[];
}

const PHASES: Record<MeasurementPhase, string> = {
  successful: 's',
  failed: 'f',
  inconclusive: 'i',
  error: 'e',
};
const PHASE_OF = Object.fromEntries(Object.entries(PHASES).map(([k, v]) => [v, k])) as Record<
  string,
  MeasurementPhase
>;
const STATUSES: readonly RunStatus[] = ['running', 'successful', 'failed', 'inconclusive', 'error'];

type Tuple = [
  string | null,
  string,
  number | null,
  number | null,
  number | null,
  number | null,
  string | null,
];

// Six significant digits are plenty for a rate, a latency or a count, and keep hookDetails small.
const round = (n: number | undefined): number | null =>
  n === undefined || !Number.isFinite(n) ? null : Number(n.toPrecision(6));
const num = (n: unknown): number | undefined => (typeof n === 'number' ? n : undefined);
const str = (s: unknown): string | undefined => (typeof s === 'string' ? s : undefined);

const tupleOf = (m: Measurement): Tuple => [
  m.at ?? null,
  PHASES[m.phase],
  round(m.value),
  round(m.baseline),
  round(m.requests),
  round(m.baselineRequests),
  m.phase === 'successful' ? null : (m.note ?? null),
];

const measurementOf = (t: unknown): Measurement | undefined => {
  if (!Array.isArray(t) || t.length !== 7) return undefined;
  const phase = PHASE_OF[String(t[1])];
  if (!phase) return undefined;
  return {
    at: str(t[0]),
    phase,
    value: num(t[2]),
    baseline: num(t[3]),
    requests: num(t[4]),
    baselineRequests: num(t[5]),
    note: str(t[6]),
  };
};

/** The compact form a run takes in hookDetails and in the table. */
const encodeRun = (run: GateRun): Record<string, unknown> => ({
  k: run.key,
  g: run.stage,
  p: run.share,
  s: run.startedAt,
  a: run.analyses.map((a) => ({
    n: a.name,
    e: a.consecutiveErrors,
    t: a.status,
    m: a.measurements.map(tupleOf),
  })),
});

/** A run read back; undefined when the data is not one (hookDetails are also the user's). */
const decodeRun = (data: unknown): GateRun | undefined => {
  const r = data as Record<string, unknown> | null;
  if (!r || typeof r !== 'object' || typeof r.k !== 'string' || typeof r.s !== 'string')
    return undefined;
  if (Number.isNaN(Date.parse(r.s)) || !Array.isArray(r.a)) return undefined;
  const analyses: AnalysisProgress[] = [];
  for (const a of r.a as Record<string, unknown>[]) {
    const status = STATUSES.find((s) => s === a?.t);
    if (typeof a?.n !== 'string' || !status || !Array.isArray(a.m)) return undefined;
    const measurements = a.m.map(measurementOf);
    if (measurements.some((m) => m === undefined)) return undefined;
    analyses.push({
      name: a.n,
      consecutiveErrors: num(a.e) ?? 0,
      status,
      measurements: measurements as Measurement[],
    });
  }
  return {
    key: r.k,
    stage: str(r.g) ?? '',
    share: num(r.p) ?? 0,
    startedAt: r.s,
    analyses,
  };
};

export { decodeRun, encodeRun, type GateRun };
