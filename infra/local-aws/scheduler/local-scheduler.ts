import type { SimClock, TimerHandle } from '../core/clock.ts';
import { uuid } from '../core/ids.ts';
import { isoSeconds } from '../core/time-format.ts';
import { fireTimesOf, type NextFireTime } from './fire-times.ts';
import { parseScheduleExpression } from './schedule-expression.ts';

/** A schedule as AWS::Scheduler::Schedule declares it (the parts a local run needs). */
export interface LocalScheduleSpec {
  name: string;
  group: string;
  expression: string;
  timezone: string;
  state: 'ENABLED' | 'DISABLED';
  /** The function the schedule invokes. */
  target: string;
  /** DELETE: the schedule is deleted after its last invocation (a one-time schedule's only one). */
  actionAfterCompletion?: 'NONE' | 'DELETE';
}

/** The payload EventBridge Scheduler sends a Lambda target when the schedule has no Input. */
export interface SchedulerPayload {
  version: '0';
  id: string;
  'detail-type': 'Scheduled Event';
  source: 'aws.scheduler';
  account: string;
  time: string;
  region: string;
  resources: [string];
  /** A string, not an object: the default payload's detail is "{}". */
  detail: '{}';
}

/** One time a schedule fired, and what became of its invocation. */
export interface ScheduleFiring {
  schedule: string;
  scheduledAt: Date;
  delivered: number;
  fault: 'dropped' | 'delayed' | 'duplicated' | undefined;
}

type Fault = { kind: 'drop' } | { kind: 'delay'; ms: number } | { kind: 'duplicate' };

interface Entry {
  spec: LocalScheduleSpec;
  rate: boolean;
  next: NextFireTime;
  createdAt: Date;
  timer: TimerHandle | undefined;
  faults: Fault[];
}

type Listener = (target: string, payload: SchedulerPayload) => void;

// Every IANA zone name this runtime knows (ScheduleExpressionTimezone takes IANA names).
const isTimeZone = (timeZone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
};

/**
 * EventBridge Scheduler on the simulated clock: each ENABLED schedule fires at its times (cron in
 * its time zone, rate from its creation, at once) and invokes its target with the default
 * payload. Faults make the next invocations of a schedule never come, come late, or come twice.
 */
export class LocalScheduler {
  readonly #clock: SimClock;
  readonly #accountId: string;
  readonly #region: string;
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<Listener>();
  readonly #groups = new Set(['default']);
  /** Every time a schedule fired, oldest first. */
  readonly firings: ScheduleFiring[] = [];

  constructor(options: { clock: SimClock; accountId: string; region: string }) {
    this.#clock = options.clock;
    this.#accountId = options.accountId;
    this.#region = options.region;
  }

  /** Receives every invocation (target function name, payload); returns unsubscribe. */
  onInvoke(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Creates (or replaces) a schedule; ENABLED schedules start firing. Throws, as CreateSchedule
   * answers ValidationException, for an expression or time zone AWS refuses.
   */
  createSchedule(spec: LocalScheduleSpec): void {
    this.deleteSchedule(spec.name);
    this.#create(spec);
  }

  /**
   * CreateSchedule as the API answers it: a schedule already named so in its group is a
   * ConflictException, not a replacement (the caller decides); an expression or time zone AWS
   * refuses throws.
   */
  add(spec: LocalScheduleSpec): 'created' | 'exists' {
    const existing = this.#entries.get(spec.name);
    if (existing && existing.spec.group === spec.group) return 'exists';
    this.#create(spec);
    return 'created';
  }

  /** Creates a schedule group (AWS::Scheduler::ScheduleGroup); 'default' always exists. */
  createGroup(name: string): void {
    this.#groups.add(name);
  }

  /** Whether a schedule group exists. */
  hasGroup(name: string): boolean {
    return this.#groups.has(name);
  }

  /** Whether a schedule of that name is in that group. */
  has(name: string, group: string): boolean {
    return this.#entries.get(name)?.spec.group === group;
  }

  #create(spec: LocalScheduleSpec): void {
    const expression = parseScheduleExpression(spec.expression);
    if (!isTimeZone(spec.timezone)) throw new Error(`invalid time zone ${spec.timezone}`);
    const createdAt = this.#clock.now();
    const next = fireTimesOf(expression, spec.timezone, createdAt.getTime());
    const entry: Entry = {
      spec,
      rate: expression.kind === 'rate',
      next,
      createdAt,
      timer: undefined,
      faults: [],
    };
    this.#entries.set(spec.name, entry);
    // A rate schedule without a start date fires at once, then every period.
    if (entry.rate) this.#arm(entry, entry.createdAt);
    else if (expression.kind === 'at')
      // An at() time already past is invoked at once (not documented; Harbormaster never asks it).
      this.#arm(entry, new Date(next(createdAt.getTime() - 1) ?? createdAt.getTime()));
    else this.#armNext(entry, entry.createdAt);
  }

  /** Deletes a schedule; its pending firing is cancelled. */
  deleteSchedule(name: string): void {
    this.#entries.get(name)?.timer?.cancel();
    this.#entries.delete(name);
  }

  /** Names of the schedules. */
  schedules(): LocalScheduleSpec[] {
    return [...this.#entries.values()].map((e) => ({ ...e.spec }));
  }

  /** The ARN of a schedule. */
  arnOf(name: string): string {
    const group = this.#entries.get(name)?.spec.group ?? 'default';
    return `arn:aws:scheduler:${this.#region}:${this.#accountId}:schedule/${group}/${name}`;
  }

  /** The next `times` invocations of the schedule never come (as if Scheduler dropped them). */
  drop(name: string, times = 1): void {
    this.#fault(name, { kind: 'drop' }, times);
  }

  /** The next `times` invocations come `ms` late (their payload still names the scheduled time). */
  delay(name: string, ms: number, times = 1): void {
    this.#fault(name, { kind: 'delay', ms }, times);
  }

  /** The next `times` invocations come twice (at-least-once delivery). */
  duplicate(name: string, times = 1): void {
    this.#fault(name, { kind: 'duplicate' }, times);
  }

  /** The payload a schedule sends for a scheduled time (also for invoking by hand). */
  payload(name: string, scheduledAt: Date): SchedulerPayload {
    return {
      version: '0',
      id: uuid(),
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: this.#accountId,
      time: isoSeconds(scheduledAt.getTime()),
      region: this.#region,
      resources: [this.arnOf(name)],
      detail: '{}',
    };
  }

  #fault(name: string, fault: Fault, times: number): void {
    const entry = this.#entries.get(name);
    if (!entry) throw new Error(`no schedule named ${name}`);
    for (let i = 0; i < times; i += 1) entry.faults.push(fault);
  }

  #armNext(entry: Entry, after: Date): void {
    const next = entry.next(after.getTime());
    if (next !== undefined) this.#arm(entry, new Date(next));
    // The last invocation is behind it: ActionAfterCompletion DELETE removes the schedule
    // (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-delete.html).
    else if (entry.spec.actionAfterCompletion === 'DELETE') this.#entries.delete(entry.spec.name);
  }

  #arm(entry: Entry, at: Date): void {
    entry.timer = this.#clock.scheduleAt(at.getTime(), () => {
      if (this.#entries.get(entry.spec.name) !== entry) return;
      this.#fire(entry, at);
      this.#armNext(entry, at);
    });
  }

  #fire(entry: Entry, scheduledAt: Date): void {
    if (entry.spec.state !== 'ENABLED') return;
    const fault = entry.faults.shift();
    const firing: ScheduleFiring = {
      schedule: entry.spec.name,
      scheduledAt,
      delivered: 0,
      fault: fault
        ? ({ drop: 'dropped', delay: 'delayed', duplicate: 'duplicated' } as const)[fault.kind]
        : undefined,
    };
    this.firings.push(firing);
    const deliver = () => {
      firing.delivered += 1;
      const payload = this.payload(entry.spec.name, scheduledAt);
      for (const listener of [...this.#listeners]) listener(entry.spec.target, payload);
    };
    if (fault?.kind === 'drop') return;
    if (fault?.kind === 'delay') {
      this.#clock.schedule(fault.ms, deliver);
      return;
    }
    deliver();
    if (fault?.kind === 'duplicate') deliver();
  }
}
