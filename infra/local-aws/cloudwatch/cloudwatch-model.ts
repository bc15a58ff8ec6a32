import { AwsError } from '../core/aws-error.ts';
import type { SimClock } from '../core/clock.ts';
import type { EventBus } from '../core/event-bus.ts';
import { uuid } from '../core/ids.ts';
import { isObject, type JsonObject, readInput } from '../core/input.ts';
import { cloudWatchTimestamp, epochSeconds } from '../core/time-format.ts';
import type { JsonService } from '../server/service-types.ts';

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
}

const STATES = new Set<string>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
const invalid = (message: string): AwsError =>
  new AwsError('InvalidParameterValue', message, 400, { queryCode: 'InvalidParameterValue' });
const notFound = (message: string): AwsError =>
  new AwsError('ResourceNotFound', message, 404, { queryCode: 'ResourceNotFound' });

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

  /** Changes an alarm's state; emits the state-change event when the state really changes. */
  setAlarmState(name: string, state: AlarmState, reason: string, reasonData?: string): void {
    const alarm = this.#alarms.get(name);
    if (alarm === undefined) throw notFound(`Alarm ${name} not found`);
    if (!STATES.has(state)) throw invalid(`Invalid state value ${state}`);
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
    alarm.reasonData = reasonData ?? this.#reasonData(alarm.metric, now);
    alarm.stateUpdatedAt = now;
    if (!changed) return;
    this.#bus.emit({
      detailType: 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      resources: [alarm.arn],
      detail: {
        alarmName: alarm.name,
        configuration: {
          ...(alarm.description === undefined ? {} : { description: alarm.description }),
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
        },
        previousState: previous,
        state: {
          reason,
          reasonData: alarm.reasonData,
          timestamp: cloudWatchTimestamp(now),
          value: state,
        },
      },
    });
  }

  /** The current state of an alarm. */
  alarmState(name: string): AlarmState | undefined {
    return this.#alarms.get(name)?.state;
  }

  /** Metric data received through PutMetricData. */
  metricData(): { at: Date; namespace: string; data: unknown[] }[] {
    return [...this.#metricData];
  }

  /** DescribeAlarms. */
  describeAlarms(input: JsonObject): JsonObject {
    const read = readInput(input, invalid);
    const names = read.optStrArr('AlarmNames');
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
    const metricAlarms =
      types === undefined || types.includes('MetricAlarm') ? alarms.map((a) => this.#view(a)) : [];
    return { MetricAlarms: metricAlarms, CompositeAlarms: [] };
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
        DeleteAlarms: (input) => {
          for (const name of readInput(input, invalid).optStrArr('AlarmNames') ?? [])
            this.#alarms.delete(name);
          return {};
        },
        PutMetricData: (input) => {
          const read = readInput(input, invalid);
          this.#metricData.push({
            at: this.#clock.now(),
            namespace: read.str('Namespace'),
            data: read.optArr('MetricData') ?? [],
          });
          return {};
        },
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
