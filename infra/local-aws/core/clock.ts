/** A scheduled callback on the simulated clock. */
export interface TimerHandle {
  /** Simulated epoch milliseconds at which the callback runs. */
  readonly at: number;
  cancel(): void;
}

interface Timer {
  at: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Simulated time. Nothing moves until `advance` is awaited; timers run in time order (FIFO for the
 * same instant), and timers scheduled while advancing run too when they fall due.
 */
export class SimClock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];
  #chain: Promise<void> = Promise.resolve();
  #realtime: NodeJS.Timeout | undefined;
  #quiesce: () => Promise<void> = yieldToIo;

  constructor(start: Date) {
    this.#now = start.getTime();
  }

  /** Sets what `advance` awaits after each timer (by default one event-loop turn). */
  setQuiesce(quiesce: () => Promise<void>): void {
    this.#quiesce = quiesce;
  }

  /** The current simulated time. */
  now(): Date {
    return new Date(this.#now);
  }

  /** The current simulated time in epoch milliseconds. */
  nowMs(): number {
    return this.#now;
  }

  /** Number of timers still waiting to run. */
  pending(): number {
    return this.#timers.length;
  }

  /** Runs `run` once `delayMs` of simulated time has passed (0 = at the next advance). */
  schedule(delayMs: number, run: () => void): TimerHandle {
    return this.scheduleAt(this.#now + Math.max(0, delayMs), run);
  }

  /** Runs `run` at simulated epoch milliseconds `at` (or at the next advance if already past). */
  scheduleAt(at: number, run: () => void): TimerHandle {
    const timer: Timer = { at: Math.max(at, this.#now), seq: this.#seq++, run, cancelled: false };
    this.#timers.splice(this.#firstAfter(timer.at), 0, timer);
    return {
      at: timer.at,
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        const i = this.#timers.indexOf(timer);
        if (i !== -1) this.#timers.splice(i, 1);
      },
    };
  }

  /** Moves simulated time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): Promise<void> {
    const run = this.#chain.then(() => this.#advanceTo(this.#now + Math.max(0, ms)));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Advances until no timer is due within `maxMs` (default one day); returns the time spent. */
  async runUntilIdle(maxMs = 86_400_000): Promise<number> {
    const start = this.#now;
    const limit = start + maxMs;
    for (;;) {
      const next = this.#timers[0];
      if (next === undefined || next.at > limit) break;
      await this.advance(next.at - this.#now);
    }
    return this.#now - start;
  }

  /** Lets simulated time follow wall-clock time (times `speed`) until `stopRealtime` (for demos). */
  startRealtime(speed = 1, tickMs = 250): void {
    this.stopRealtime();
    this.#realtime = setInterval(() => void this.advance(tickMs * speed), tickMs);
    this.#realtime.unref();
  }

  /** Stops following wall-clock time. */
  stopRealtime(): void {
    if (this.#realtime !== undefined) clearInterval(this.#realtime);
    this.#realtime = undefined;
  }

  /** Index of the first timer due after `at`: binary search, as 1,000 tasks keep thousands. */
  #firstAfter(at: number): number {
    let low = 0;
    let high = this.#timers.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#timers[mid] as Timer).at > at) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  async #advanceTo(target: number): Promise<void> {
    // Calls take no simulated time: work still in flight at this instant (a Lambda invocation
    // between two calls) finishes at it, before time moves on.
    await this.#quiesce();
    for (;;) {
      const next = this.#timers[0];
      if (next === undefined || next.at > target) break;
      this.#timers.shift();
      this.#now = next.at;
      next.run();
      // Lets HTTP requests made by event listeners reach the server between timers.
      await this.#quiesce();
    }
    this.#now = target;
  }
}
