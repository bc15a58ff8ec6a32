import type { ServiceName } from './faults.ts';

/** A token bucket shared by the operations it names. */
export interface ThrottleBucketSpec {
  /** Unique name, e.g. `ecs: Cluster read actions`. */
  name: string;
  service: ServiceName;
  /** Operations drawing on the bucket (all of the service's when omitted). */
  operations?: readonly string[];
  /** Bucket maximum capacity (the burst rate). */
  capacity: number;
  /** Tokens added back per second (the sustained rate). */
  refillPerSecond: number;
  /** Tokens a request takes (default 1), e.g. RunTask's `count` for Fargate's launch bucket. */
  cost?: (input: unknown) => number;
  /** Whether a request draws on the bucket at all (default: every named operation). */
  appliesTo?: (input: unknown) => boolean;
}

/** Calls an operation received and how many of them a bucket throttled. */
export interface ThrottleCount {
  calls: number;
  throttled: number;
}

/** Handle returned by `add`. */
export interface ThrottleHandle {
  remove(): void;
}

interface Bucket {
  spec: ThrottleBucketSpec;
  tokens: number;
  refilledAt: number;
}

/**
 * Token buckets in front of the endpoint's operations, refilled on the SIMULATED clock. Real AWS
 * refills with wall time, and real calls take wall time; here a call takes no simulated time, so
 * every call a test (or a handler reacting to one event) makes while the clock stands still draws
 * on the same bucket, as a burst would in AWS, and only advancing the clock refills it. That keeps
 * throttling deterministic and independent of the machine's speed, and lets a fast-forwarded
 * scenario (minutes of simulated time in milliseconds) refill as AWS would over those minutes. The
 * catch: a long sequential loop that never advances the clock is stricter here than in AWS, where
 * its own duration would refill some tokens.
 */
export class RequestThrottle {
  readonly #now: () => number;
  readonly #buckets: Bucket[] = [];
  readonly #counts = new Map<string, ThrottleCount>();
  #enabled = true;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Adds a bucket (full); returns a handle that removes it. */
  add(spec: ThrottleBucketSpec): ThrottleHandle {
    const bucket: Bucket = { spec, tokens: spec.capacity, refilledAt: this.#now() };
    this.#buckets.push(bucket);
    return {
      remove: () => {
        const i = this.#buckets.indexOf(bucket);
        if (i !== -1) this.#buckets.splice(i, 1);
      },
    };
  }

  /** Removes the bucket of that name, if any. */
  remove(name: string): void {
    const i = this.#buckets.findIndex((b) => b.spec.name === name);
    if (i !== -1) this.#buckets.splice(i, 1);
  }

  /** Whether a bucket of that name is in place. */
  has(name: string): boolean {
    return this.#buckets.some((b) => b.spec.name === name);
  }

  /** Names of the buckets in place. */
  names(): string[] {
    return this.#buckets.map((b) => b.spec.name);
  }

  /**
   * Raises or lowers a bucket's limits (a quota increase, or a tighter bucket for a test); the
   * bucket starts full at its new capacity.
   */
  setLimits(name: string, limits: { capacity?: number; refillPerSecond?: number }): void {
    const bucket = this.#buckets.find((b) => b.spec.name === name);
    if (bucket === undefined) throw new Error(`no throttle bucket named ${name}`);
    bucket.spec = { ...bucket.spec, ...limits };
    bucket.tokens = bucket.spec.capacity;
    bucket.refilledAt = this.#now();
  }

  /** Turns every bucket off (true) or on again (false); counting goes on. */
  disable(disabled = true): void {
    this.#enabled = !disabled;
  }

  /** Counts one call; the name of the bucket that throttles it, or undefined when it may run. */
  take(service: ServiceName, operation: string, input: unknown): string | undefined {
    const key = `${service}:${operation}`;
    const count = this.#counts.get(key) ?? { calls: 0, throttled: 0 };
    this.#counts.set(key, count);
    count.calls += 1;
    if (!this.#enabled) return undefined;
    const now = this.#now();
    const applicable = this.#buckets.filter(
      (b) =>
        b.spec.service === service &&
        (b.spec.operations === undefined || b.spec.operations.includes(operation)) &&
        (b.spec.appliesTo?.(input) ?? true),
    );
    for (const bucket of applicable) {
      const refill = ((now - bucket.refilledAt) / 1000) * bucket.spec.refillPerSecond;
      bucket.tokens = Math.min(bucket.spec.capacity, bucket.tokens + refill);
      bucket.refilledAt = now;
    }
    const costs = applicable.map((b) => b.spec.cost?.(input) ?? 1);
    const empty = applicable.find((b, i) => b.tokens < (costs[i] ?? 1));
    if (empty !== undefined) {
      count.throttled += 1;
      return empty.spec.name;
    }
    applicable.forEach((b, i) => {
      b.tokens -= costs[i] ?? 1;
    });
    return undefined;
  }

  /** Calls and throttled calls per operation (`service:Operation`), optionally for one service. */
  counts(service?: ServiceName): Record<string, ThrottleCount> {
    return Object.fromEntries(
      [...this.#counts.entries()]
        .filter(([key]) => service === undefined || key.startsWith(`${service}:`))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, count]) => [key, { ...count }]),
    );
  }

  /** "N calls, M throttled" for a service, e.g. for a scenario's closing line. */
  summary(service?: ServiceName): string {
    const all = Object.values(this.counts(service));
    const calls = all.reduce((sum, c) => sum + c.calls, 0);
    const throttled = all.reduce((sum, c) => sum + c.throttled, 0);
    return `${calls} calls, ${throttled} throttled`;
  }

  /** Forgets the counts (the buckets keep their tokens). */
  resetCounts(): void {
    this.#counts.clear();
  }
}
