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

/** One alarm per function on Lambda Errors: cold-start failures (a bad configuration) and invocations that will be retried. */
const functionAlarms = (functionNames: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(
    functionNames.map((name) => [
      `${pascal(name)}ErrorsAlarm`,
      anyOccurrenceAlarm({
        description: `Harbormaster ${name} failed invocations (retried, then dead-lettered). Read its logs.`,
        namespace: 'AWS/Lambda',
        name: 'Errors',
        dimensions: [{ Name: 'FunctionName', Value: `\${self:service}-\${sls:stage}-${name}` }],
      }),
    ]),
  );

export { anyOccurrenceAlarm, functionAlarms };
