const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Counts requests in flight so simulated time can wait for code that calls back over HTTP. */
export class Activity {
  #inFlight = 0;
  #started = 0;
  #waiters: (() => void)[] = [];

  /** Marks a request as started; call the returned function when it is answered. */
  begin(): () => void {
    this.#inFlight += 1;
    this.#started += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#inFlight -= 1;
      if (this.#inFlight === 0) for (const wake of this.#waiters.splice(0)) wake();
    };
  }

  /** Requests currently being handled. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves once no request is in flight. */
  async idle(): Promise<void> {
    while (this.#inFlight > 0) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Resolves once no request is in flight and none started for `quietTurns` event-loop turns, so
   * chains of calls made by event listeners (each awaiting the previous answer) have finished.
   * Without `untrackedCalls` (all work was tracked from its start), no timer phase is awaited.
   */
  async settle(quietTurns = 10, untrackedCalls = true): Promise<void> {
    for (;;) {
      await this.idle();
      const before = this.#started;
      for (let i = 0; i < quietTurns; i += 1) await nextTurn();
      // One timer phase too: a first call may still be resolving credentials or connecting.
      if (untrackedCalls) await new Promise<void>((resolve) => setTimeout(resolve, 1));
      await nextTurn();
      if (this.#started === before && this.#inFlight === 0) return;
    }
  }
}
