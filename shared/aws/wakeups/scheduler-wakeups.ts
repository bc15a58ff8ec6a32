import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { askedMinute, type WakeupPort, wakeMinute, wakeupName } from './port.ts';

interface WakeupTarget {
  /** The stage's schedule group (infra/resources/wakeups.yml). */
  group: string;
  /** The function's short name (deployment-guard, batch-jobs): the schedules' name prefix. */
  fn: string;
  functionArn: string;
  /** The role Scheduler assumes to invoke the function (iam:PassRole on it only). */
  roleArn: string;
}

/**
 * Wake-ups as EventBridge Scheduler one-time schedules: `at(...)` in UTC, no flexible window,
 * deleted by Scheduler after their one invocation (ActionAfterCompletion DELETE). The name is the
 * function and the minute, so asking twice, or for two items due the same minute, creates one
 * schedule: CreateSchedule answers ConflictException for a name already in the group
 * (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html). No Input:
 * the target gets Scheduler's default payload (a Scheduled Event naming the schedule).
 */
const createSchedulerWakeups = (client: SchedulerClient, target: WakeupTarget): WakeupPort => ({
  wakeAt: async (at, now, key) => {
    const minute = wakeMinute(at, now);
    const iso = minute.toISOString();
    try {
      await client.send(
        new CreateScheduleCommand({
          Name: wakeupName(target.fn, minute, key),
          GroupName: target.group,
          ScheduleExpression: `at(${iso.slice(0, 19)})`,
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          State: 'ENABLED',
          Target: {
            Arn: target.functionArn,
            RoleArn: target.roleArn,
            // A wake-up that cannot be delivered within the minute is replaced by the backstop.
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
          },
        }),
      );
      return { outcome: 'created', minute: iso };
    } catch (error) {
      if (error instanceof ConflictException) return { outcome: 'exists', minute: iso };
      throw error;
    }
  },
  // A wake-up asked for a time already near may have been set a minute later (wakeMinute): that
  // name is tried when the first is not there. DeleteSchedule of a name that is not there is
  // ResourceNotFoundException.
  cancel: async (at, key) => {
    const first = askedMinute(at);
    for (const minute of [first, new Date(first.getTime() + 60_000)]) {
      try {
        await client.send(
          new DeleteScheduleCommand({
            Name: wakeupName(target.fn, minute, key),
            GroupName: target.group,
          }),
        );
        return 'deleted';
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    }
    return 'gone';
  },
});

export { createSchedulerWakeups, type WakeupTarget };
