import * as z from 'zod';
import { envelope, text, timestamp } from './schema-helpers.ts';

const alarmState = z.looseObject({
  value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
  reason: text(4096).optional(),
  timestamp: timestamp.optional(),
});

/** "CloudWatch Alarm State Change". */
const alarmStateChangeSchema = z.looseObject({
  ...envelope,
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  source: z.literal('aws.cloudwatch'),
  detail: z.looseObject({
    alarmName: text(255),
    state: alarmState,
    previousState: alarmState.optional(),
  }),
});

type AlarmStateChangeEvent = z.infer<typeof alarmStateChangeSchema>;

export { type AlarmStateChangeEvent, alarmStateChangeSchema };
