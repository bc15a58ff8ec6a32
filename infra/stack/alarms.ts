const pascal = (name: string): string =>
  name.replace(/(^|[-_])(\w)/g, (_match, _sep, letter: string) => letter.toUpperCase());

/** One alarm per function on Lambda Errors: cold-start failures (a bad configuration) and invocations that will be retried. */
const functionAlarms = (functionNames: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(
    functionNames.map((name) => [
      `${pascal(name)}ErrorsAlarm`,
      {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmDescription: `Harbormaster ${name} failed invocations (retried, then dead-lettered). Read its logs.`,
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: `\${self:service}-\${sls:stage}-${name}` }],
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [{ Ref: 'AlertTopic' }],
        },
      },
    ]),
  );

export { functionAlarms };
