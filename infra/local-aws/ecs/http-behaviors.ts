/**
 * How the tasks of a task definition answer HTTP requests behind a load balancer, for the
 * simulated Application Load Balancer traffic (a scenario makes a green revision raise its 5xx
 * rate or its latency).
 */
export interface HttpBehavior {
  /** Share of requests the targets answer with a 5xx (0..1, default 0). */
  errorRate?: number;
  /** Share of requests that end in a load balancer 5xx (502: the target reset the connection). */
  elbErrorRate?: number;
  /** Median target response time in milliseconds (default 40). */
  p50LatencyMs?: number;
  /** 99th percentile target response time in milliseconds (default 4 × the median). */
  p99LatencyMs?: number;
}

/** An HttpBehavior with every field resolved. */
export type ResolvedHttpBehavior = Required<HttpBehavior>;

const DEFAULT_P50_MS = 40;

const resolve = (behavior: HttpBehavior | undefined): ResolvedHttpBehavior => {
  const p50 = behavior?.p50LatencyMs ?? DEFAULT_P50_MS;
  return {
    errorRate: behavior?.errorRate ?? 0,
    elbErrorRate: behavior?.elbErrorRate ?? 0,
    p50LatencyMs: p50,
    p99LatencyMs: Math.max(p50, behavior?.p99LatencyMs ?? p50 * 4),
  };
};

// "arn:aws:ecs:…:task-definition/web:3" and "web:3" both key as "web:3".
const keyOf = (familyOrArn: string): string =>
  familyOrArn.replace(/^arn:[^:]+:ecs:[^:]*:\d*:task-definition\//, '');

const checkRate = (value: number | undefined, field: string): void => {
  if (value !== undefined && (!(value >= 0) || value > 1))
    throw new RangeError(`${field} must be between 0 and 1`);
};

/** Behaviours per task-definition family or revision (a revision's wins over its family's). */
export class HttpBehaviorRegistry {
  readonly #byKey = new Map<string, HttpBehavior>();

  set(familyOrArn: string, behavior: HttpBehavior): void {
    checkRate(behavior.errorRate, 'errorRate');
    checkRate(behavior.elbErrorRate, 'elbErrorRate');
    this.#byKey.set(keyOf(familyOrArn), { ...behavior });
  }

  clear(familyOrArn?: string): void {
    if (familyOrArn === undefined) this.#byKey.clear();
    else this.#byKey.delete(keyOf(familyOrArn));
  }

  resolve(taskDefinitionArn: string): ResolvedHttpBehavior {
    const revision = keyOf(taskDefinitionArn);
    const family = revision.split(':')[0] ?? revision;
    return resolve(this.#byKey.get(revision) ?? this.#byKey.get(family));
  }
}

// z of the 99th percentile of the standard normal distribution.
const Z99 = 2.326_347_874;

// Horner's rule: c[0]·x^(n-1) + … + c[n-1].
const poly = (coefficients: number[], x: number): number =>
  coefficients.reduce((acc, c) => acc * x + c, 0);

const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  1,
];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1];

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
const probit = (p: number): number => {
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(C, q) / poly(D, q);
  }
  if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(C, q) / poly(D, q);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(A, r) * q) / poly(B, r);
};

// Quantiles at which a revision's latency distribution is sampled: dense in the tails, so the
// percentiles an analysis asks for (p50, p90, p95, p99) fall on a sampled point.
const GRID = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.995,
];

/**
 * Response times (seconds) of `requests` requests as weighted quantile points of a log-normal
 * distribution with the behaviour's median and 99th percentile, and their exact mean. Each point
 * carries the probability mass between its neighbours' midpoints.
 */
export const latencySamples = (
  behavior: ResolvedHttpBehavior,
  requests: number,
): { samples: [number, number][]; mean: number } => {
  const mu = Math.log(behavior.p50LatencyMs / 1000);
  const sigma = Math.log(behavior.p99LatencyMs / behavior.p50LatencyMs) / Z99;
  const samples: [number, number][] = GRID.map((q, i) => {
    const low = i === 0 ? 0 : (q + (GRID[i - 1] ?? q)) / 2;
    const high = i === GRID.length - 1 ? 1 : (q + (GRID[i + 1] ?? q)) / 2;
    return [Math.exp(mu + sigma * probit(q)), requests * (high - low)];
  });
  return { samples, mean: Math.exp(mu + (sigma * sigma) / 2) };
};
