import { parseScheduleExpression } from '#batch/schedule/schedule-expression.ts';
import type { SimClock, TimerHandle } from '../core/clock.ts';
import type { EventBus } from '../core/event-bus.ts';

/** The period of an EventBridge `rate(...)` expression (cron expressions are not simulated). */
export const rateMs = (expression: string): number => {
  const parsed = parseScheduleExpression(expression);
  if (parsed.kind !== 'rate') throw new Error(`unsupported schedule expression "${expression}"`);
  return parsed.periodMs;
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
