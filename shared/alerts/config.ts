import * as v from 'valibot';
import { SEVERITIES } from '#kernel/alerts/model.ts';
import { int, lazy, list, opt } from '#kernel/events/schema-helpers.ts';

const severity = () => v.picklist(SEVERITIES);

const slack = () =>
  v.strictObject({
    /** An SSM parameter name, or /aws/reference/secretsmanager/<secret> for a Secrets Manager secret. */
    webhookUrlParameter: v.pipe(
      v.string(),
      v.regex(
        /^\/[\w.\-/]+$/,
        'expected an SSM parameter name such as /harbormaster/slack-webhook',
      ),
    ),
    /** In a Secrets Manager key/value secret, the key holding the URL (default: its only URL). */
    webhookUrlKey: opt(
      v.pipe(v.string(), v.regex(/^[\w.-]{1,128}$/, 'expected a JSON key such as url')),
    ),
    minimumSeverity: v.optional(severity(), 'warning'),
    timeoutMs: v.optional(int(500, 20_000), 5_000),
  });

/** The `alerts` section: where alerts go, and which service events are alerted. */
const alertsSection = lazy(() =>
  v.optional(
    v.strictObject({
      sns: v.optional(
        v.strictObject({
          enabled: v.optional(v.boolean(), true),
          minimumSeverity: v.optional(severity(), 'info'),
        }),
        {},
      ),
      slack: opt(slack()),
      /** Repeats of the same service event (same service, event and reason) inside this window are dropped. */
      dedupWindowMinutes: v.optional(int(0, 24 * 60), 60),
      serviceEvents: v.optional(
        v.strictObject({
          eventTypes: v.optional(
            v.pipe(list(v.picklist(['INFO', 'WARN', 'ERROR']), 3), v.minLength(1)),
            ['WARN', 'ERROR'],
          ),
          ignore: v.optional(
            list(v.pipe(v.string(), v.regex(/^[A-Z_]+$/, 'expected an ECS event name')), 100),
            [],
          ),
        }),
        {},
      ),
      deploymentEvents: v.optional(v.strictObject({ enabled: v.optional(v.boolean(), true) }), {}),
    }),
    {},
  ),
);

/** The `alerts` section as validated. */
type AlertsConfig = v.InferOutput<ReturnType<typeof alertsSection>>;

export { type AlertsConfig, alertsSection };
