import * as v from 'valibot';
import { envelope, lazy, opt, text, timestamp } from './schema-helpers.ts';

/** "CloudWatch Alarm State Change". */
const alarmStateChangeSchema = lazy(() => {
  const alarmState = v.looseObject({
    value: v.picklist(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
    reason: opt(text(4096)),
    timestamp: opt(timestamp()),
  });
  return v.looseObject({
    ...envelope(),
    'detail-type': v.literal('CloudWatch Alarm State Change'),
    source: v.literal('aws.cloudwatch'),
    detail: v.looseObject({
      alarmName: text(255),
      state: alarmState,
      previousState: opt(alarmState),
    }),
  });
});

type AlarmStateChangeEvent = v.InferOutput<ReturnType<typeof alarmStateChangeSchema>>;

export { type AlarmStateChangeEvent, alarmStateChangeSchema };
