import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmPort, AlarmStateValue } from './ports.ts';

// DescribeAlarms takes at most 100 names per call.
const NAMES_PER_CALL = 100;

/** AlarmPort over CloudWatch DescribeAlarms (metric and composite alarms). */
const createAlarmReader = (client: CloudWatchClient): AlarmPort => ({
  alarmStates: async (names) => {
    const states: Record<string, AlarmStateValue> = {};
    for (let i = 0; i < names.length; i += NAMES_PER_CALL) {
      let NextToken: string | undefined;
      do {
        const output = await client.send(
          new DescribeAlarmsCommand({
            AlarmNames: names.slice(i, i + NAMES_PER_CALL),
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            NextToken,
          }),
        );
        for (const alarm of [...(output.MetricAlarms ?? []), ...(output.CompositeAlarms ?? [])]) {
          if (alarm.AlarmName && alarm.StateValue) states[alarm.AlarmName] = alarm.StateValue;
        }
        NextToken = output.NextToken;
      } while (NextToken);
    }
    return states;
  },
});

export { createAlarmReader };
