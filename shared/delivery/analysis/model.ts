/**
 * An analysis run, as Argo Rollouts' AnalysisRun counts it: measurements, each successful, failed,
 * inconclusive or an error, and a status once the limits or the count are reached.
 */

type MeasurementPhase = 'successful' | 'failed' | 'inconclusive' | 'error';
type RunStatus = 'running' | 'successful' | 'failed' | 'inconclusive' | 'error';

/** One measurement: green's value over one interval, and blue's over the same interval. */
interface Measurement {
  /** ISO-8601 start of the interval measured (absent for an error, which measures nothing). */
  at: string | undefined;
  phase: MeasurementPhase;
  value: number | undefined;
  baseline: number | undefined;
  requests: number | undefined;
  baselineRequests: number | undefined;
  /** Why it is inconclusive or an error, in words. */
  note: string | undefined;
}

/** One analysis of a run: its measurements so far and where it stands. */
interface AnalysisProgress {
  name: string;
  measurements: Measurement[];
  consecutiveErrors: number;
  status: RunStatus;
}

/** The ALB target a side of the comparison is measured on. */
interface SideTarget {
  revisionArn: string;
  /** CloudWatch dimension values: `targetgroup/<name>/<id>` and `app/<name>/<id>`. */
  targetGroup: string | undefined;
  loadBalancer: string | undefined;
  /** The full ARNs, for console links. */
  targetGroupArn: string | undefined;
}

/** A GetMetricData query in Harbormaster's terms. */
interface MetricQuery {
  id: string;
  metric?: {
    namespace: string;
    name: string;
    dimensions: Record<string, string>;
    stat: string;
  };
  expression?: string;
  returnData: boolean;
}

/** The values of each query id, by period start (epoch milliseconds). */
type MetricPoints = Record<string, Record<number, number>>;

export type {
  AnalysisProgress,
  Measurement,
  MeasurementPhase,
  MetricPoints,
  MetricQuery,
  RunStatus,
  SideTarget,
};
