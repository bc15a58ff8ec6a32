import { uuid } from './ids.ts';
import { isoSeconds } from './time-format.ts';

/** An EventBridge event as delivered to targets. */
export interface EventBridgeEnvelope<Detail = Record<string, unknown>> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Detail;
}

/** What an emitter supplies; the bus fills in the envelope. */
export interface EventDraft {
  detailType: string;
  source: string;
  resources: string[];
  detail: Record<string, unknown>;
  /** Event time in epoch milliseconds (the simulated now by default). */
  at?: number;
}

/** Listener for emitted events. */
export type EventListener = (event: EventBridgeEnvelope) => void;

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
};

/**
 * Delivers events to listeners synchronously and in emission order. An event emitted while
 * listeners run (for example by a listener calling back into a model) is queued behind the current
 * one, so every listener sees the same order.
 */
export class EventBus {
  readonly #listeners = new Set<EventListener>();
  readonly #queue: EventBridgeEnvelope[] = [];
  readonly #log: EventBridgeEnvelope[] = [];
  readonly #account: string;
  readonly #region: string;
  readonly #now: () => number;
  #dispatching = false;
  /** Errors thrown by listeners (they are also logged to stderr). */
  readonly listenerErrors: unknown[] = [];

  constructor(options: { account: string; region: string; now: () => number }) {
    this.#account = options.account;
    this.#region = options.region;
    this.#now = options.now;
  }

  /** Every event emitted so far, oldest first. */
  get events(): readonly EventBridgeEnvelope[] {
    return this.#log;
  }

  /** Number of subscribed listeners. */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Subscribes `listener`; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Wraps `draft` in an envelope, records it and delivers it. */
  emit(draft: EventDraft): EventBridgeEnvelope {
    const event: EventBridgeEnvelope = deepFreeze(
      structuredClone({
        version: '0' as const,
        id: uuid(),
        'detail-type': draft.detailType,
        source: draft.source,
        account: this.#account,
        time: isoSeconds(draft.at ?? this.#now()),
        region: this.#region,
        resources: draft.resources,
        detail: draft.detail,
      }),
    );
    this.#log.push(event);
    this.#queue.push(event);
    if (!this.#dispatching) this.#drain();
    return event;
  }

  #drain(): void {
    this.#dispatching = true;
    try {
      for (let event = this.#queue.shift(); event !== undefined; event = this.#queue.shift()) {
        for (const listener of [...this.#listeners]) {
          try {
            listener(event);
          } catch (error) {
            this.listenerErrors.push(error);
            console.error('local-aws: event listener failed', error);
          }
        }
      }
    } finally {
      this.#dispatching = false;
    }
  }
}
