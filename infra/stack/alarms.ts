const pascal = (name: string): string =>
  name.replace(/(^|[-_])(\w)/g, (_match, _sep, letter: string) => letter.toUpperCase());

/** An alarm to the alert topic whenever a metric's sum over 5 minutes is above zero. */
const anyOccurrenceAlarm = (metric: {
  description: string;
  namespace: string;
  name: string;
  dimensions: { Name: string; Value: unknown }[];
}) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    AlarmDescription: metric.description,
    Namespace: metric.namespace,
    MetricName: metric.name,
    Dimensions: metric.dimensions,
    Statistic: 'Sum',
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: [{ Ref: 'AlertTopic' }],
  },
});

/**
 * Two alarms per function: on Lambda Errors (cold-start failures from a bad configuration, and
 * invocations that will be retried), and on AlertsUncertain, the alerts an attempt died while
 * sending: neither sent again nor known sent (kernel/lease/run-once.ts), so a person must look.
 * The second reads the function's Powertools metrics (namespace Harbormaster, dimensions service
 * and stage: kernel/powertools.ts).
 */
const functionAlarms = (functionNames: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(
    functionNames.flatMap((name) => [
      [
        `${pascal(name)}ErrorsAlarm`,
        anyOccurrenceAlarm({
          description: `Harbormaster ${name} failed invocations (retried, then dead-lettered). Read its logs.`,
          namespace: 'AWS/Lambda',
          name: 'Errors',
          dimensions: [{ Name: 'FunctionName', Value: `\${self:service}-\${sls:stage}-${name}` }],
        }),
      ],
      [
        `${pascal(name)}AlertsUncertainAlarm`,
        anyOccurrenceAlarm({
          description: `Harbormaster ${name} died while sending an alert and did not send it again (it may not have arrived). Its log names the alert ("Alert delivery uncertain").`,
          namespace: 'Harbormaster',
          name: 'AlertsUncertain',
          dimensions: [
            { Name: 'service', Value: name },
            { Name: 'stage', Value: '${sls:stage}' },
          ],
        }),
      ],
    ]),
  );

export { anyOccurrenceAlarm, functionAlarms };
