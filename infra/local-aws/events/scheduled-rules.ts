import type { SimClock, TimerHandle } from '../core/clock.ts';
import type { EventBus } from '../core/event-bus.ts';
import { fireTimesOf } from '../scheduler/fire-times.ts';
import { parseScheduleExpression } from '../scheduler/schedule-expression.ts';

/** The period of an EventBridge `rate(...)` expression. */
export const rateMs = (expression: string): number => {
  const parsed = parseScheduleExpression(expression);
  if (parsed.kind !== 'rate') throw new Error(`"${expression}" is not a rate expression`);
  return parsed.periodMs;
};

/** A scheduled rule in the simulation. */
export interface ScheduledRule {
  readonly name: string;
  readonly arn: string;
  remove(): void;
}

/**
 * EventBridge scheduled rules on the simulated clock, emitting the "Scheduled Event" EventBridge
 * sends (source aws.events, the rule ARN as resource, an empty detail), as in the EventBridge user
 * guide's example. Rules take `rate(...)` (every period from the rule's creation) and `cron(...)`,
 * which rules always read in UTC (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html);
 * `at(...)` belongs to EventBridge Scheduler only.
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

  /** Creates a rule firing on `rate(...)` or `cron(...)`; returns it with its ARN. */
  add(name: string, expression: string): ScheduledRule {
    const parsed = parseScheduleExpression(expression);
    if (parsed.kind === 'at')
      throw new Error(`scheduled rules take rate() or cron(), not ${expression}`);
    const next = fireTimesOf(parsed, 'UTC', this.#clock.nowMs());
    const arn = `${this.#arnPrefix}${name}`;
    let handle: TimerHandle | undefined;
    let removed = false;
    const arm = (after: number): void => {
      const at = next(after);
      if (at !== undefined) handle = this.#clock.scheduleAt(at, () => fire(at));
    };
    const fire = (at: number): void => {
      if (removed) return;
      this.#bus.emit({
        detailType: 'Scheduled Event',
        source: 'aws.events',
        resources: [arn],
        detail: {},
      });
      arm(at);
    };
    arm(this.#clock.nowMs());
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
