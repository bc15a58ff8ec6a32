import * as z from 'zod/mini';
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
  z.looseObject({
    ...envelope(),
    'detail-type': z.literal('Scheduled Event'),
    source: z.enum(['aws.events', 'aws.scheduler']),
    resources: list(text(), 100).check(z.minLength(1, 'expected the rule or schedule ARN')),
    // EventBridge Scheduler's default payload carries detail as the string "{}"; rules send an object.
    detail: z.union([
      z.record(z.string(), z.unknown()),
      text(8192).check(z.refine(isJsonObject, 'expected a JSON object or a string holding one')),
    ]),
  }),
);

type ScheduledEvent = Omit<z.infer<ReturnType<typeof scheduledEventSchema>>, 'detail'> & {
  detail: Record<string, unknown>;
};

/** The scheduled event with a string detail turned into the object it holds. */
const normaliseScheduled = (
  event: z.infer<ReturnType<typeof scheduledEventSchema>>,
): ScheduledEvent => ({
  ...event,
  detail:
    typeof event.detail === 'string'
      ? (JSON.parse(event.detail) as Record<string, unknown>)
      : event.detail,
});

export { normaliseScheduled, type ScheduledEvent, scheduledEventSchema };
