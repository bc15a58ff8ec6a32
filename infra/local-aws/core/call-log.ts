/** One request received by the endpoint. */
export interface CallRecord {
  service: string;
  operation: string;
  input: unknown;
  /** Simulated time at which the request was handled. */
  at: Date;
  /**
   * Wall-clock epoch milliseconds at which it arrived: callers that pace themselves by wall time
   * (Harbormaster's ECS call budget) are checked against this, as AWS would count them.
   */
  receivedAtMs: number;
  /** HTTP status answered. */
  status: number;
  /** Error code answered, if any. */
  errorCode?: string;
  requestId: string;
  /** The caller's User-Agent header (AWS requests). */
  userAgent?: string;
}

/** Every request the endpoint received, in arrival order. */
export class CallLog {
  readonly #entries: CallRecord[] = [];

  /** All recorded calls. */
  get entries(): readonly CallRecord[] {
    return this.#entries;
  }

  /** Appends one call. */
  record(call: CallRecord): void {
    this.#entries.push(call);
  }

  /** Calls matching `service` and `operation` (each optional), and whose User-Agent contains `agent`. */
  list(service?: string, operation?: string, agent?: string): CallRecord[] {
    return this.#entries.filter(
      (c) =>
        (service === undefined || c.service === service) &&
        (operation === undefined || c.operation === operation) &&
        (agent === undefined || (c.userAgent ?? '').includes(agent)),
    );
  }

  /** Number of calls matching `service`, `operation` and `agent` (each optional). */
  count(service?: string, operation?: string, agent?: string): number {
    return this.list(service, operation, agent).length;
  }

  /** Forgets every recorded call. */
  clear(): void {
    this.#entries.length = 0;
  }
}
