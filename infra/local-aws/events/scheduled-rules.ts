import type { SimClock, TimerHandle } from '../core/clock.ts';
import type { EventBus } from '../core/event-bus.ts';

const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** The period of an EventBridge `rate(...)` expression (cron expressions are not simulated). */
export const rateMs = (expression: string): number => {
  const match = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression.trim());
  const value = Number(match?.[1]);
  const unit = UNIT_MS[match?.[2] ?? ''];
  if (!match || !unit || value < 1)
    throw new Error(`unsupported schedule expression "${expression}"`);
  if ((value === 1) !== !match[2]?.endsWith('s'))
    throw new Error(`"${expression}": EventBridge wants "1 minute" but "2 minutes"`);
  return value * unit;
};

/** A scheduled rule in the simulation. */
export interface ScheduledRule {
  readonly name: string;
  readonly arn: string;
  remove(): void;
}

/**
 * EventBridge scheduled rules on the simulated clock: each fires every period from its creation,
 * emitting the "Scheduled Event" EventBridge sends (source aws.events, the rule ARN as resource,
 * an empty detail), as in the EventBridge user guide's example.
 */
export class ScheduledRules {
  readonly #clock: SimClock;
  readonly #bus: EventBus;
  readonly #arnPrefix: string;

  constructor(options: { clock: SimClock; bus: EventBus; region: string; accountId: string }) {
    this.#clock = options.clock;
    this.#bus = options.bus;
    this.#arnPrefix = `arn:aws:events:${options.region}:${options.accountId}:rule/`;
  }

  /** Creates a rule firing every `rate(...)`; returns it with its ARN. */
  add(name: string, expression: string): ScheduledRule {
    const period = rateMs(expression);
    const arn = `${this.#arnPrefix}${name}`;
    let handle: TimerHandle | undefined;
    let removed = false;
    const fire = (): void => {
      if (removed) return;
      this.#bus.emit({
        detailType: 'Scheduled Event',
        source: 'aws.events',
        resources: [arn],
        detail: {},
      });
      handle = this.#clock.schedule(period, fire);
    };
    handle = this.#clock.schedule(period, fire);
    return {
      name,
      arn,
      remove: () => {
        removed = true;
        handle?.cancel();
      },
    };
  }
}
