import * as v from 'valibot';
import { SEVERITIES } from '#kernel/alerts/model.ts';
import type { FieldIssue } from '#kernel/errors.ts';
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

// A parameter name, or /aws/reference/secretsmanager/<secret> for a Secrets Manager secret.
const parameterName = (example: string) =>
  v.pipe(v.string(), v.regex(/^\/[\w.\-/]+$/, `expected an SSM parameter name such as ${example}`));

/** A Slack channel: its id (C..., G...) or, for a public channel, #name. */
const SLACK_CHANNEL = /^([CGD][A-Z0-9]{6,20}|#[a-z0-9][a-z0-9_-]{0,79})$/;
const slackChannel = () =>
  v.pipe(v.string(), v.regex(SLACK_CHANNEL, 'expected a Slack channel id (C0123ABCD) or #name'));

/**
 * A Slack app (bot token): one parent message per deployment, edited in place, every event a reply
 * in its thread, and buttons (chat section) where they make sense.
 */
const slackApp = () =>
  v.strictObject({
    /** SSM SecureString (or Secrets Manager reference) holding the bot token (xoxb-...). */
    botTokenParameter: parameterName('/harbormaster/slack-bot-token'),
    /** In a Secrets Manager key/value secret, the key holding the token (default: its only token). */
    botTokenKey: opt(v.pipe(v.string(), v.regex(/^[\w.-]{1,128}$/, 'expected a JSON key'))),
    /** The channel the default route posts to (the app must be a member, or have chat:write.public). */
    channel: opt(slackChannel()),
    minimumSeverity: v.optional(severity(), 'info'),
    timeoutMs: v.optional(int(500, 20_000), 5_000),
    /**
     * How long a 429's Retry-After is waited out in the same invocation; a longer one queues the
     * reply for the next post or the one-minute sweep (never dropped).
     */
    maxRetryAfterSeconds: v.optional(int(0, 60), 10),
  });

/**
 * A destination of a route: `sns` (the stack's topic), `sns:<name>` (alerts.topics), `slack` (the
 * incoming webhook), `webhook:<name>` (alerts.webhooks), `slack:<channel>` (a channel through the
 * Slack app).
 */
const destination = () =>
  v.pipe(
    v.string(),
    v.regex(
      /^(sns|slack|(sns|webhook):[A-Za-z0-9_-]{1,64}|slack:([CGD][A-Z0-9]{6,20}|#[a-z0-9][a-z0-9_-]{0,79}))$/,
      'expected sns, sns:<topic name>, slack (the webhook), webhook:<name> or slack:<channel id or #name>',
    ),
  );

const glob = () => v.pipe(v.string(), v.minLength(1), v.maxLength(256));

/** Which alerts a route takes: every criterion given must hold (globs: * and ?). */
const routeMatch = () =>
  v.strictObject({
    /** The lowest severity taken. */
    severity: opt(severity()),
    /** Alert kinds: deployment-guard, deployment-event, service-event, batch-run, handler-error... */
    kinds: opt(list(glob(), 20)),
    clusters: opt(list(glob(), 50)),
    services: opt(list(glob(), 50)),
    /** The service's tags (key: glob of the value); a service without the tag does not match. */
    tags: opt(v.record(v.pipe(v.string(), v.minLength(1), v.maxLength(128)), glob())),
  });

const route = () =>
  v.strictObject({
    name: opt(v.pipe(v.string(), v.maxLength(64))),
    match: v.optional(routeMatch(), {}),
    to: v.pipe(list(destination(), 10), v.minLength(1, 'name at least one destination')),
    /** Keep looking at the next routes after this one matched (default: stop here). */
    continue: v.optional(v.boolean(), false),
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
      slackApp: opt(slackApp()),
      /** More Slack incoming webhooks, by name, for routes (`webhook:<name>`): one channel each. */
      webhooks: v.optional(
        v.record(
          v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a webhook name')),
          slack(),
        ),
        {},
      ),
      /** More SNS topics, by name, for routes (`sns:<name>`). */
      topics: v.optional(
        v.record(
          v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a topic name')),
          v.pipe(
            v.string(),
            v.regex(
              /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/,
              'expected an SNS topic ARN',
            ),
          ),
        ),
        {},
      ),
      /**
       * Routes, in order: an alert goes to the destinations of every route that matches it, up
       * to the first that matches without `continue`; to `defaultRoute` when none matched.
       */
      routes: v.optional(list(route(), 100), []),
      /** Where unrouted alerts go (default: every configured channel). */
      defaultRoute: opt(v.pipe(list(destination(), 10), v.minLength(1))),
      /** A service tag naming the Slack channel its alerts go to (a route of its own, with continue). */
      channelTag: v.optional(
        v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
        'harbormaster:slack-channel',
      ),
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

/**
 * Destinations the configuration names but does not set up (checked at packaging and at cold
 * start): `sns:<name>` without alerts.topics.<name>, `webhook:<name>` without alerts.webhooks.<name>, `slack:...` without alerts.slackApp, `slack`
 * without alerts.slack, `sns` with the topic disabled.
 */
const routeIssues = (alerts: AlertsConfig): FieldIssue[] => {
  const problem = (destination: string): string | undefined => {
    if (destination === 'sns')
      return alerts.sns.enabled ? undefined : 'the stack topic is disabled (alerts.sns.enabled)';
    if (destination === 'slack')
      return alerts.slack ? undefined : 'no Slack webhook is configured (alerts.slack)';
    if (destination.startsWith('sns:'))
      return Object.hasOwn(alerts.topics, destination.slice(4))
        ? undefined
        : `alerts.topics names no topic "${destination.slice(4)}"`;
    if (destination.startsWith('webhook:'))
      return Object.hasOwn(alerts.webhooks, destination.slice(8))
        ? undefined
        : `alerts.webhooks names no webhook "${destination.slice(8)}"`;
    return alerts.slackApp ? undefined : 'no Slack app is configured (alerts.slackApp)';
  };
  const issues: FieldIssue[] = [];
  const check = (path: string, destinations: readonly string[]) =>
    destinations.forEach((d, i) => {
      const message = problem(d);
      if (message) issues.push({ path: `${path}[${i}]`, message: `${d}: ${message}` });
    });
  alerts.routes.forEach((route, i) => {
    check(`alerts.routes[${i}].to`, route.to);
  });
  if (alerts.defaultRoute) check('alerts.defaultRoute', alerts.defaultRoute);
  return issues;
};

/** A route as validated. */
type AlertRoute = AlertsConfig['routes'][number];

export { type AlertRoute, type AlertsConfig, alertsSection, routeIssues, SLACK_CHANNEL };
