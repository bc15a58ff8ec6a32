import { AwsError } from '../core/aws-error.ts';
import type { SimClock } from '../core/clock.ts';
import type { EventBus } from '../core/event-bus.ts';
import { uuid } from '../core/ids.ts';
import { isObject, type JsonObject, readInput } from '../core/input.ts';
import { cloudWatchTimestamp, epochSeconds } from '../core/time-format.ts';
import type { JsonService } from '../server/service-types.ts';
import { type AlarmRule, alarmsIn, parseAlarmRule, ruleHolds } from './alarm-rule.ts';
import { getMetricData } from './get-metric-data.ts';
import { type MetricDatum, type MetricIdentity, MetricStore } from './metric-store.ts';

/** Alarm states. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** The metric an alarm watches. */
export interface AlarmMetric {
  namespace: string;
  name: string;
  dimensions?: Record<string, string>;
  period?: number;
  stat?: string;
  threshold?: number;
  comparisonOperator?: string;
  evaluationPeriods?: number;
}

/** What `putCompositeAlarm` takes. */
export interface CompositeAlarmSeed {
  /** The AlarmRule, e.g. `ALARM(web-5xx) OR ALARM(web-latency)`. */
  rule: string;
  description?: string;
  alarmActions?: string[];
}

/** What `putAlarm` takes. */
export interface AlarmSeed {
  state: AlarmState;
  reason?: string;
  metric?: AlarmMetric;
  description?: string;
  alarmActions?: string[];
}

interface Alarm {
  name: string;
  arn: string;
  state: AlarmState;
  reason: string;
  reasonData: string;
  stateUpdatedAt: number;
  configUpdatedAt: number;
  metric: Required<AlarmMetric>;
  metricId: string;
  description?: string;
  alarmActions: string[];
  /** Composite alarms only: the rule over other alarms' states. */
  rule?: { text: string; parsed: AlarmRule };
}

const STATES = new Set<string>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
const invalid = (message: string): AwsError =>
  new AwsError('InvalidParameterValue', message, 400, { queryCode: 'InvalidParameterValue' });
const notFound = (message: string): AwsError =>
  new AwsError('ResourceNotFound', message, 404, { queryCode: 'ResourceNotFound' });

const validationError = (message: string): AwsError =>
  new AwsError('ValidationException', message, 400, { queryCode: 'ValidationError' });

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

// "Friday 22 July, 2022 15:57:45 UTC", as composite alarms word a child's transition.
const transitionTime = (ms: number): string => {
  const d = new Date(ms);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}, ${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)} UTC`;
};

const defaultMetric = (metric: AlarmMetric | undefined): Required<AlarmMetric> => ({
  namespace: metric?.namespace ?? 'AWS/ECS',
  name: metric?.name ?? 'CPUUtilization',
  dimensions: metric?.dimensions ?? {},
  period: metric?.period ?? 60,
  stat: metric?.stat ?? 'Average',
  threshold: metric?.threshold ?? 80,
  comparisonOperator: metric?.comparisonOperator ?? 'GreaterThanThreshold',
  evaluationPeriods: metric?.evaluationPeriods ?? 1,
});

/** In-memory CloudWatch alarms that emit "CloudWatch Alarm State Change" events. */
export class CloudWatchModel {
  readonly #region: string;
  readonly #accountId: string;
  readonly #clock: SimClock;
  readonly #bus: EventBus;
  readonly #alarms = new Map<string, Alarm>();
  readonly #metricData: { at: Date; namespace: string; data: unknown[] }[] = [];
  /** Every data point published (ALB metrics of the simulated traffic, PutMetricData). */
  readonly store = new MetricStore();

  constructor(options: { region: string; accountId: string; clock: SimClock; bus: EventBus }) {
    this.#region = options.region;
    this.#accountId = options.accountId;
    this.#clock = options.clock;
    this.#bus = options.bus;
  }

  /** Seeds (or replaces) a metric alarm without emitting an event. */
  putAlarm(name: string, seed: AlarmSeed): void {
    const now = this.#clock.nowMs();
    const metric = defaultMetric(seed.metric);
    this.#alarms.set(name, {
      name,
      arn: `arn:aws:cloudwatch:${this.#region}:${this.#accountId}:alarm:${name}`,
      state: seed.state,
      reason:
        seed.reason ??
        (seed.state === 'INSUFFICIENT_DATA'
          ? 'Unchecked: Initial alarm creation'
          : `Seeded in state ${seed.state}`),
      reasonData: this.#reasonData(metric, now),
      stateUpdatedAt: now,
      configUpdatedAt: now,
      metric,
      metricId: uuid(),
      alarmActions: seed.alarmActions ?? [],
      ...(seed.description === undefined ? {} : { description: seed.description }),
    });
  }

  /**
   * Seeds (or replaces) a composite alarm without emitting an event. As PutCompositeAlarm does, it
   * is evaluated at once: ALARM when its rule holds, else OK ("the initial time after creation is
   * the only time that the alarm can be in INSUFFICIENT_DATA state").
   */
  putCompositeAlarm(name: string, seed: CompositeAlarmSeed): void {
    const parsed = parseAlarmRule(seed.rule);
    const now = this.#clock.nowMs();
    const state = ruleHolds(parsed, (n) => this.#alarms.get(n)?.state) ? 'ALARM' : 'OK';
    const arn = `arn:aws:cloudwatch:${this.#region}:${this.#accountId}:alarm:${name}`;
    this.#alarms.set(name, {
      name,
      arn,
      state,
      reason: `${arn} was created and its alarm rule evaluates to ${state}`,
      reasonData: this.#triggering(parsed, state),
      stateUpdatedAt: now,
      configUpdatedAt: now,
      metric: defaultMetric(undefined),
      metricId: uuid(),
      alarmActions: seed.alarmActions ?? [],
      rule: { text: seed.rule, parsed },
      ...(seed.description === undefined ? {} : { description: seed.description }),
    });
  }

  /**
   * Changes an alarm's state; emits the state-change event when the state really changes, then
   * re-evaluates the composite alarms whose rule names it.
   */
  setAlarmState(name: string, state: AlarmState, reason: string, reasonData?: string): void {
    const alarm = this.#alarms.get(name);
    if (alarm === undefined) throw notFound(`Alarm ${name} not found`);
    if (!STATES.has(state)) throw invalid(`Invalid state value ${state}`);
    const data =
      reasonData ??
      (alarm.rule === undefined
        ? this.#reasonData(alarm.metric, this.#clock.nowMs())
        : this.#triggering(alarm.rule.parsed, state));
    this.#transition(alarm, state, reason, data, new Set());
  }

  #transition(
    alarm: Alarm,
    state: AlarmState,
    reason: string,
    reasonData: string,
    seen: Set<string>,
  ): void {
    const now = this.#clock.nowMs();
    const previous = {
      reason: alarm.reason,
      reasonData: alarm.reasonData,
      timestamp: cloudWatchTimestamp(alarm.stateUpdatedAt),
      value: alarm.state,
    };
    const changed = alarm.state !== state;
    alarm.state = state;
    alarm.reason = reason;
    alarm.reasonData = reasonData;
    alarm.stateUpdatedAt = now;
    if (!changed) return;
    this.#bus.emit({
      detailType: 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      resources: [alarm.arn],
      detail: {
        alarmName: alarm.name,
        state: { value: state, reason, reasonData, timestamp: cloudWatchTimestamp(now) },
        previousState: previous,
        configuration: this.#eventConfiguration(alarm),
      },
    });
    seen.add(alarm.name);
    for (const parent of this.#alarms.values()) {
      if (parent.rule === undefined || seen.has(parent.name)) continue;
      if (!alarmsIn(parent.rule.parsed).includes(alarm.name)) continue;
      const holds = ruleHolds(parent.rule.parsed, (n) => this.#alarms.get(n)?.state);
      const next: AlarmState = holds ? 'ALARM' : 'OK';
      if (next === parent.state) continue;
      this.#transition(
        parent,
        next,
        `${alarm.arn} transitioned to ${state} at ${transitionTime(now)}`,
        this.#triggering(parent.rule.parsed, next),
        seen,
      );
    }
  }

  // The documented event shapes: a metric alarm carries its metrics, a composite its alarmRule.
  #eventConfiguration(alarm: Alarm): JsonObject {
    const description = alarm.description === undefined ? {} : { description: alarm.description };
    if (alarm.rule !== undefined) return { alarmRule: alarm.rule.text, ...description };
    return {
      ...description,
      metrics: [
        {
          id: alarm.metricId,
          metricStat: {
            metric: {
              dimensions: alarm.metric.dimensions,
              name: alarm.metric.name,
              namespace: alarm.metric.namespace,
            },
            period: alarm.metric.period,
            stat: alarm.metric.stat,
          },
          returnData: true,
        },
      ],
    };
  }

  // reasonData of a composite alarm: the child alarms that make it ALARM (all of them for OK).
  #triggering(rule: AlarmRule, state: AlarmState): string {
    const children = alarmsIn(rule)
      .map((n) => this.#alarms.get(n))
      .filter((a): a is Alarm => a !== undefined)
      .filter((a) => state !== 'ALARM' || a.state === 'ALARM');
    return JSON.stringify({
      triggeringAlarms: children.map((a) => ({
        arn: a.arn,
        state: { value: a.state, timestamp: cloudWatchTimestamp(a.stateUpdatedAt) },
      })),
    });
  }

  /** The current state of an alarm. */
  alarmState(name: string): AlarmState | undefined {
    return this.#alarms.get(name)?.state;
  }

  /** Records a data point an AWS service publishes (the simulated load balancer traffic). */
  publish(identity: MetricIdentity, datum: MetricDatum): void {
    this.store.record(identity, datum);
  }

  /** GetMetricData (the same code as the wire operation). */
  getMetricData(input: JsonObject): JsonObject {
    return getMetricData(this.store, input, this.#clock.nowMs());
  }

  // PutMetricData's MetricDatum: a Value, Values with Counts, or StatisticValues.
  #putMetricData(namespace: string, data: unknown[]): void {
    const now = this.#clock.nowMs();
    for (const raw of data.filter(isObject)) {
      const dimensions: Record<string, string> = {};
      for (const d of (Array.isArray(raw.Dimensions) ? raw.Dimensions : []).filter(isObject))
        dimensions[String(d.Name)] = String(d.Value);
      const at = typeof raw.Timestamp === 'number' ? raw.Timestamp * 1000 : now;
      const identity = { namespace, name: String(raw.MetricName), dimensions };
      const stats = isObject(raw.StatisticValues) ? raw.StatisticValues : undefined;
      if (stats !== undefined) {
        this.store.record(identity, {
          at,
          count: Number(stats.SampleCount),
          sum: Number(stats.Sum),
          min: Number(stats.Minimum),
          max: Number(stats.Maximum),
        });
        continue;
      }
      const values = Array.isArray(raw.Values) ? raw.Values.map(Number) : [Number(raw.Value)];
      const counts = Array.isArray(raw.Counts) ? raw.Counts.map(Number) : values.map(() => 1);
      const samples = values.map((v, i): [number, number] => [v, counts[i] ?? 1]);
      const count = samples.reduce((n, [, c]) => n + c, 0);
      this.store.record(identity, {
        at,
        count,
        sum: samples.reduce((n, [v, c]) => n + v * c, 0),
        min: Math.min(...values),
        max: Math.max(...values),
        samples,
      });
    }
  }

  /** Metric data received through PutMetricData. */
  metricData(): { at: Date; namespace: string; data: unknown[] }[] {
    return [...this.#metricData];
  }

  /** DescribeAlarms. */
  describeAlarms(input: JsonObject): JsonObject {
    const read = readInput(input, invalid);
    const names = read.optStrArr('AlarmNames');
    // API_DescribeAlarms: AlarmNames "Array Members: Maximum number of 100 items."
    if (names !== undefined && names.length > 100)
      throw validationError(
        `1 validation error detected: Value '[${names.join(', ')}]' at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100`,
      );
    const prefix = read.optStr('AlarmNamePrefix');
    if (names !== undefined && prefix !== undefined) {
      throw new AwsError(
        'InvalidParameterCombination',
        'AlarmNamePrefix and AlarmNames cannot be specified together.',
        400,
        {
          queryCode: 'InvalidParameterCombination',
        },
      );
    }
    const stateValue = read.optStr('StateValue');
    if (stateValue !== undefined && !STATES.has(stateValue))
      throw invalid(`Invalid state value ${stateValue}`);
    const actionPrefix = read.optStr('ActionPrefix');
    const types = read.optStrArr('AlarmTypes');
    const alarms = [...this.#alarms.values()]
      .filter((a) => names === undefined || names.includes(a.name))
      .filter((a) => prefix === undefined || a.name.startsWith(prefix))
      .filter((a) => stateValue === undefined || a.state === stateValue)
      .filter(
        (a) => actionPrefix === undefined || a.alarmActions.some((x) => x.startsWith(actionPrefix)),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
    // "If you omit this parameter, only metric alarms are returned."
    const wants = (type: string) => (types ?? ['MetricAlarm']).includes(type);
    return {
      MetricAlarms: wants('MetricAlarm')
        ? alarms.filter((a) => a.rule === undefined).map((a) => this.#view(a))
        : [],
      CompositeAlarms: wants('CompositeAlarm')
        ? alarms.filter((a) => a.rule !== undefined).map((a) => this.#compositeView(a))
        : [],
    };
  }

  /** Wire service (AWS JSON 1.0, `GraniteServiceVersion20100801.<Operation>`, query-compatible). */
  wire(): JsonService {
    return {
      name: 'cloudwatch',
      protocol: 'json',
      targetPrefix: 'GraniteServiceVersion20100801',
      jsonVersion: '1.0',
      queryCompatible: true,
      operations: {
        DescribeAlarms: (input) => this.describeAlarms(input),
        SetAlarmState: (input) => {
          const read = readInput(input, invalid);
          this.setAlarmState(
            read.str('AlarmName'),
            read.str('StateValue') as AlarmState,
            read.str('StateReason'),
            read.optStr('StateReasonData'),
          );
          return {};
        },
        PutMetricAlarm: (input) => {
          const read = readInput(input, invalid);
          const dimensions: Record<string, string> = {};
          for (const d of (read.optArr('Dimensions') ?? []).filter(isObject))
            dimensions[String(d.Name)] = String(d.Value);
          const name = read.str('AlarmName');
          const existing = this.#alarms.get(name);
          this.putAlarm(name, {
            state: existing?.state ?? 'INSUFFICIENT_DATA',
            metric: {
              namespace: read.optStr('Namespace') ?? 'AWS/ECS',
              name: read.optStr('MetricName') ?? 'CPUUtilization',
              dimensions,
              period: read.optNum('Period') ?? 60,
              stat: read.optStr('Statistic') ?? 'Average',
              threshold: read.optNum('Threshold') ?? 0,
              comparisonOperator: read.str('ComparisonOperator'),
              evaluationPeriods: read.num('EvaluationPeriods'),
            },
            ...(read.optStr('AlarmDescription') === undefined
              ? {}
              : { description: read.optStr('AlarmDescription') }),
            alarmActions: read.optStrArr('AlarmActions') ?? [],
          });
          return {};
        },
        PutCompositeAlarm: (input) => {
          const read = readInput(input, invalid);
          const name = read.str('AlarmName');
          const existing = this.#alarms.get(name);
          const description = read.optStr('AlarmDescription');
          this.putCompositeAlarm(name, {
            rule: read.str('AlarmRule'),
            alarmActions: read.optStrArr('AlarmActions') ?? [],
            ...(description === undefined ? {} : { description }),
          });
          // "When you update an existing alarm, its state is left unchanged."
          const updated = this.#alarms.get(name);
          if (existing !== undefined && updated !== undefined) {
            updated.state = existing.state;
            updated.reason = existing.reason;
            updated.reasonData = existing.reasonData;
            updated.stateUpdatedAt = existing.stateUpdatedAt;
          }
          return {};
        },
        DeleteAlarms: (input) => {
          for (const name of readInput(input, invalid).optStrArr('AlarmNames') ?? [])
            this.#alarms.delete(name);
          return {};
        },
        PutMetricData: (input) => {
          const read = readInput(input, invalid);
          const namespace = read.str('Namespace');
          const data = read.optArr('MetricData') ?? [];
          this.#metricData.push({ at: this.#clock.now(), namespace, data });
          this.#putMetricData(namespace, data);
          return {};
        },
        GetMetricData: (input) => this.getMetricData(input),
      },
    };
  }

  #view(alarm: Alarm): JsonObject {
    return {
      AlarmName: alarm.name,
      AlarmArn: alarm.arn,
      ...(alarm.description === undefined ? {} : { AlarmDescription: alarm.description }),
      AlarmConfigurationUpdatedTimestamp: epochSeconds(alarm.configUpdatedAt),
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: alarm.alarmActions,
      InsufficientDataActions: [],
      StateValue: alarm.state,
      StateReason: alarm.reason,
      StateReasonData: alarm.reasonData,
      StateUpdatedTimestamp: epochSeconds(alarm.stateUpdatedAt),
      MetricName: alarm.metric.name,
      Namespace: alarm.metric.namespace,
      Statistic: alarm.metric.stat,
      Dimensions: Object.entries(alarm.metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
      Period: alarm.metric.period,
      EvaluationPeriods: alarm.metric.evaluationPeriods,
      Threshold: alarm.metric.threshold,
      ComparisonOperator: alarm.metric.comparisonOperator,
      StateTransitionedTimestamp: epochSeconds(alarm.stateUpdatedAt),
    };
  }

  #compositeView(alarm: Alarm): JsonObject {
    return {
      AlarmName: alarm.name,
      AlarmArn: alarm.arn,
      ...(alarm.description === undefined ? {} : { AlarmDescription: alarm.description }),
      AlarmRule: alarm.rule?.text,
      AlarmConfigurationUpdatedTimestamp: epochSeconds(alarm.configUpdatedAt),
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: alarm.alarmActions,
      InsufficientDataActions: [],
      StateValue: alarm.state,
      StateReason: alarm.reason,
      StateReasonData: alarm.reasonData,
      StateUpdatedTimestamp: epochSeconds(alarm.stateUpdatedAt),
      StateTransitionedTimestamp: epochSeconds(alarm.stateUpdatedAt),
    };
  }

  #reasonData(metric: Required<AlarmMetric>, now: number): string {
    const start = now - metric.period * 1000;
    return JSON.stringify({
      version: '1.0',
      queryDate: cloudWatchTimestamp(now),
      startDate: cloudWatchTimestamp(start),
      statistic: metric.stat,
      period: metric.period,
      recentDatapoints: [],
      threshold: metric.threshold,
    });
  }
}
