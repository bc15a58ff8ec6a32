import type { CountedFailure } from '../failures.ts';
import type { TriggerName } from '../records.ts';

/** A trigger that fired: roll back, or only notify, and why. */
interface Firing {
  trigger: TriggerName;
  mode: 'rollback' | 'notify';
  /** What the trigger saw, for people. */
  reason: string;
  failures: CountedFailure[];
  /** The failed-task limit, for the failed-tasks trigger. */
  threshold: number | undefined;
  alarms: string[];
}

export type { Firing };
