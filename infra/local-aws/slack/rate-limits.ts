/**
 * Slack Web API rate limits (docs.slack.dev/apis/web-api/rate-limits): limits apply "per API
 * method per workspace/team per app"; Tier 2 is 20+ per minute, Tier 3 50+, Tier 4 100+, each
 * allowing occasional bursts; chat.postMessage "generally allows posting one message per second per
 * channel" with short bursts. A refused call gets HTTP 429 with Retry-After in seconds.
 *
 * Modelled as token buckets on the SIMULATED clock (like the ECS buckets): a tier's bucket holds
 * a minute's worth of calls and refills over the minute; chat.postMessage's bucket per channel
 * holds a short burst (3) and refills one per second. The numbers are the documented floors ("20+"
 * reads as 20), so code that survives them survives Slack.
 */

export interface SlackLimit {
  capacity: number;
  refillPerSecond: number;
  /** One bucket per channel (chat.postMessage) rather than per app. */
  perChannel?: boolean;
}

const tier = (perMinute: number): SlackLimit => ({
  capacity: perMinute,
  refillPerSecond: perMinute / 60,
});

/** The documented tier of each method this endpoint serves. */
export const DEFAULT_LIMITS: Record<string, SlackLimit> = {
  'chat.postMessage': { capacity: 3, refillPerSecond: 1, perChannel: true },
  'chat.update': tier(50),
  'conversations.replies': tier(50),
  'usergroups.users.list': tier(20),
  'auth.test': tier(100),
};

interface Bucket {
  tokens: number;
  at: number;
}

/** Per-app (and per-channel) buckets; `take` answers the seconds to wait, or 0 when allowed. */
export class SlackRateLimits {
  readonly #now: () => number;
  readonly #limits = new Map<string, SlackLimit>(Object.entries(DEFAULT_LIMITS));
  readonly #buckets = new Map<string, Bucket>();
  #enabled = true;
  /** Calls refused with 429, per method. */
  readonly refused = new Map<string, number>();

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Changes a method's limit (a test's tighter bucket); its buckets start full. */
  set(method: string, limit: SlackLimit): void {
    this.#limits.set(method, limit);
    for (const key of [...this.#buckets.keys()])
      if (key.startsWith(`${method}|`)) this.#buckets.delete(key);
  }

  /** Turns rate limiting off (true) or back on. */
  disable(disabled = true): void {
    this.#enabled = !disabled;
  }

  /** Draws a call; returns 0 when it may run, else the Retry-After seconds. */
  take(method: string, appId: string, channel: string | undefined): number {
    const limit = this.#limits.get(method);
    if (!this.#enabled || limit === undefined) return 0;
    const key = `${method}|${appId}|${limit.perChannel ? (channel ?? '') : ''}`;
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: limit.capacity, at: now };
    bucket.tokens = Math.min(
      limit.capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * limit.refillPerSecond,
    );
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    this.refused.set(method, (this.refused.get(method) ?? 0) + 1);
    return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.refillPerSecond));
  }
}
