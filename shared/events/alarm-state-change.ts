import * as z from 'zod/mini';
import { envelope, lazy, opt, text, timestamp } from './schema-helpers.ts';

/** "CloudWatch Alarm State Change". */
const alarmStateChangeSchema = lazy(() => {
  const alarmState = z.looseObject({
    value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
    reason: opt(text(4096)),
    timestamp: opt(timestamp()),
  });
  return z.looseObject({
    ...envelope(),
    'detail-type': z.literal('CloudWatch Alarm State Change'),
    source: z.literal('aws.cloudwatch'),
    detail: z.looseObject({
      alarmName: text(255),
      state: alarmState,
      previousState: opt(alarmState),
    }),
  });
});

type AlarmStateChangeEvent = z.infer<ReturnType<typeof alarmStateChangeSchema>>;

export { type AlarmStateChangeEvent, alarmStateChangeSchema };
