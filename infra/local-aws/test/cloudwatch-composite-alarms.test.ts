import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutCompositeAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { clientConfig, eventsOf, failure, START } from './harness.ts';

// Composite alarms as documented by
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html and the
// composite example of https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html.
describe('CloudWatch composite alarms', () => {
  let local: LocalAws;
  let cloudwatch: CloudWatchClient;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    cloudwatch = new CloudWatchClient(clientConfig(local));
    local.cloudwatch.putAlarm('web-5xx', { state: 'OK' });
    local.cloudwatch.putAlarm('web-latency', { state: 'OK' });
  });

  afterEach(async () => {
    cloudwatch.destroy();
    await local.close();
  });

  it('lists composite alarms only when AlarmTypes asks for them (API_DescribeAlarms)', async () => {
    // Prepare
    local.cloudwatch.putCompositeAlarm('web-health', {
      rule: 'ALARM("web-5xx") OR ALARM(web-latency)',
      description: 'web is unhealthy',
    });
    // Act
    const plain = await cloudwatch.send(new DescribeAlarmsCommand({}));
    const both = await cloudwatch.send(
      new DescribeAlarmsCommand({
        AlarmNames: ['web-5xx', 'web-health'],
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      }),
    );
    // Assess
    expect(plain.MetricAlarms?.map((a) => a.AlarmName)).toStrictEqual(['web-5xx', 'web-latency']);
    expect(plain.CompositeAlarms).toStrictEqual([]);
    expect(both.MetricAlarms?.map((a) => a.AlarmName)).toStrictEqual(['web-5xx']);
    expect(both.CompositeAlarms).toHaveLength(1);
    expect(both.CompositeAlarms?.[0]).toMatchObject({
      AlarmName: 'web-health',
      AlarmRule: 'ALARM("web-5xx") OR ALARM(web-latency)',
      AlarmDescription: 'web is unhealthy',
      StateValue: 'OK',
    });
  });

  it('follows its children and emits the composite-shaped state change event', async () => {
    // Prepare
    await cloudwatch.send(
      new PutCompositeAlarmCommand({
        AlarmName: 'web-health',
        AlarmRule: 'ALARM(web-5xx) AND NOT OK(web-latency)',
      }),
    );
    // Act
    await cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: 'web-5xx', StateValue: 'ALARM', StateReason: 'test' }),
    );
    const afterOne = local.cloudwatch.alarmState('web-health');
    await local.clock.advance(60_000);
    await cloudwatch.send(
      new SetAlarmStateCommand({
        AlarmName: 'web-latency',
        StateValue: 'ALARM',
        StateReason: 'test',
      }),
    );
    // Assess
    expect(afterOne).toBe('OK');
    expect(local.cloudwatch.alarmState('web-health')).toBe('ALARM');
    const composite = eventsOf(local, 'CloudWatch Alarm State Change').filter(
      (e) => e.detail.alarmName === 'web-health',
    );
    expect(composite).toHaveLength(1);
    const event = composite[0];
    if (event === undefined) throw new Error('no composite event');
    expect(event.resources).toStrictEqual([
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-health',
    ]);
    expect(event.detail.configuration).toStrictEqual({
      alarmRule: 'ALARM(web-5xx) AND NOT OK(web-latency)',
    });
    const state = event.detail.state as Record<string, string>;
    expect(state.value).toBe('ALARM');
    expect(state.reason).toBe(
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-latency transitioned to ALARM at Monday 2 November, 2026 09:01:00 UTC',
    );
    expect(JSON.parse(state.reasonData ?? '')).toStrictEqual({
      triggeringAlarms: [
        {
          arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-5xx',
          state: { value: 'ALARM', timestamp: '2026-11-02T09:00:00.000+0000' },
        },
        {
          arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-latency',
          state: { value: 'ALARM', timestamp: '2026-11-02T09:01:00.000+0000' },
        },
      ],
    });
    expect((event.detail.previousState as Record<string, string>).value).toBe('OK');
  });

  it('refuses more than 100 AlarmNames (API_DescribeAlarms: maximum number of 100 items)', async () => {
    // Prepare
    const names = Array.from({ length: 101 }, (_, i) => `alarm-${i}`);
    // Act
    const error = await failure(cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names })));
    const hundred = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: names.slice(0, 100) }),
    );
    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/Member must have length less than or equal to 100/);
    expect(hundred.MetricAlarms).toStrictEqual([]);
  });

  it('refuses a rule it cannot read', async () => {
    // Act
    const error = await failure(
      cloudwatch.send(
        new PutCompositeAlarmCommand({ AlarmName: 'bad', AlarmRule: 'ALARM(web-5xx) XOR' }),
      ),
    );
    // Assess
    expect(error.name).toBe('InvalidParameterValueException');
  });
});
