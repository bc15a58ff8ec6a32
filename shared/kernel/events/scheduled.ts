import * as v from 'valibot';
import { envelope, lazy, list, text } from './schema-helpers.ts';

const isJsonObject = (value: string): boolean => {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
};

/** "Scheduled Event" from an EventBridge rule (aws.events) or EventBridge Scheduler (aws.scheduler). */
const scheduledEventSchema = lazy(() =>
  v.looseObject({
    ...envelope(),
    'detail-type': v.literal('Scheduled Event'),
    source: v.picklist(['aws.events', 'aws.scheduler']),
    resources: v.pipe(list(text(), 100), v.minLength(1, 'expected the rule or schedule ARN')),
    // EventBridge Scheduler's default payload carries detail as the string "{}"; rules send an object.
    detail: v.union([
      v.record(v.string(), v.unknown()),
      v.pipe(text(8192), v.check(isJsonObject, 'expected a JSON object or a string holding one')),
    ]),
  }),
);

type ScheduledEvent = Omit<v.InferOutput<ReturnType<typeof scheduledEventSchema>>, 'detail'> & {
  detail: Record<string, unknown>;
};

/** The scheduled event with a string detail turned into the object it holds. */
const normaliseScheduled = (
  event: v.InferOutput<ReturnType<typeof scheduledEventSchema>>,
): ScheduledEvent => ({
  ...event,
  detail:
    typeof event.detail === 'string'
      ? (JSON.parse(event.detail) as Record<string, unknown>)
      : event.detail,
});

export { normaliseScheduled, type ScheduledEvent, scheduledEventSchema };
