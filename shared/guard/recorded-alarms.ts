import type { HarbormasterEvent } from '#kernel/events/parse.ts';
import type { AlarmPort, AlarmStateValue } from './ports.ts';

/** CloudWatch alarms as a recording shows them: each alarm's last recorded state. */
class RecordedAlarms implements AlarmPort {
  readonly #states = new Map<string, AlarmStateValue>();

  /** Remembers the state an alarm event shows. */
  observe(event: HarbormasterEvent): void {
    if (event.kind === 'alarm-state-change')
      this.#states.set(event.raw.detail.alarmName, event.raw.detail.state.value);
  }

  async alarmStates(names: readonly string[]): Promise<Record<string, AlarmStateValue>> {
    return Object.fromEntries(
      names.flatMap((n) =>
        this.#states.has(n) ? [[n, this.#states.get(n) as AlarmStateValue]] : [],
      ),
    );
  }
}

export { RecordedAlarms };
