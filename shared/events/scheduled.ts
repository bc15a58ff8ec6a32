import * as z from 'zod';
import { envelope, text } from './schema-helpers.ts';

/** EventBridge Scheduler's default payload carries `detail` as the string "{}"; rules send an object. */
const scheduledDetail = z.union([
  z.record(z.string(), z.unknown()),
  z
    .string()
    .max(8192)
    .transform((value, ctx) => {
      try {
        const parsed: unknown = JSON.parse(value);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
          return parsed as Record<string, unknown>;
        }
      } catch {
        // fall through to the issue below
      }
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object or a string holding one' });
      return z.NEVER;
    }),
]);

/** "Scheduled Event" from an EventBridge rule (aws.events) or EventBridge Scheduler (aws.scheduler). */
const scheduledEventSchema = z.looseObject({
  ...envelope,
  'detail-type': z.literal('Scheduled Event'),
  source: z.enum(['aws.events', 'aws.scheduler']),
  resources: z.array(text()).min(1, 'expected the rule or schedule ARN').max(100),
  detail: scheduledDetail,
});

type ScheduledEvent = z.infer<typeof scheduledEventSchema>;

export { type ScheduledEvent, scheduledEventSchema };
