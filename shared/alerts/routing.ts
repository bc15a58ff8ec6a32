import { type Alert, atLeast } from '#kernel/alerts/model.ts';
import { matchesIamPattern } from '#kernel/scope.ts';
import { type AlertRoute, type AlertsConfig, SLACK_CHANNEL } from './config.ts';

/**
 * Routing: which destinations an alert goes to, decided from the alert and its service's tags
 * (a pure function; the router in wire.ts reads the tags and builds the channels). As in
 * Alertmanager, routes are tried in order and the first that matches ends the walk unless it says
 * `continue`; a service naming its channel in the channel tag gets that channel first, as a route
 * that continues; an alert no route took goes to the default route.
 */

type RoutingConfig = Pick<AlertsConfig, 'routes' | 'defaultRoute' | 'channelTag'>;

const anyMatches = (patterns: readonly string[] | undefined, value: string | undefined): boolean =>
  patterns === undefined ||
  (value !== undefined && patterns.some((pattern) => matchesIamPattern(value, pattern)));

/** Whether every criterion of a route's match holds for the alert (and its service's tags). */
const routeMatches = (
  route: AlertRoute,
  alert: Alert,
  tags: Readonly<Record<string, string>> | undefined,
): boolean => {
  const m = route.match;
  if (m.severity && !atLeast(alert.severity, m.severity)) return false;
  if (!anyMatches(m.kinds, alert.kind)) return false;
  if (!anyMatches(m.clusters, alert.subject.cluster)) return false;
  if (!anyMatches(m.services, alert.subject.service)) return false;
  for (const [key, pattern] of Object.entries(m.tags ?? {})) {
    const value = tags && Object.hasOwn(tags, key) ? tags[key] : undefined;
    if (value === undefined || !matchesIamPattern(value, pattern)) return false;
  }
  return true;
};

/** A channel family ("sns", "slack") or a destination ("sns:oncall") an alert's `channels` allow. */
const allowedBy = (channels: readonly string[] | undefined, destination: string): boolean =>
  channels === undefined ||
  channels.some((c) => c === destination || destination.startsWith(`${c}:`));

/** Whether the alert may go to the destination: its `channels`, and threads only where edited. */
const reaches = (alert: Pick<Alert, 'channels' | 'threadOnly'>, destination: string): boolean =>
  allowedBy(alert.channels, destination) && (!alert.threadOnly || destination.startsWith('slack:'));

/**
 * The destinations of an alert: `sns`, `sns:<name>`, `slack` (the webhook), `slack:<channel>`.
 * `defaults` are the configured channels, the default route unless the configuration names one.
 * An alert's own `channels` (a batch job's) still narrow the result by family.
 */
const routeAlert = (
  alert: Alert,
  config: RoutingConfig,
  tags: Readonly<Record<string, string>> | undefined,
  defaults: readonly string[],
): string[] => {
  const destinations: string[] = [];
  let routed = false;
  const tagged =
    tags && Object.hasOwn(tags, config.channelTag) ? tags[config.channelTag]?.trim() : undefined;
  if (tagged && SLACK_CHANNEL.test(tagged)) {
    destinations.push(`slack:${tagged}`);
    routed = true;
  }
  for (const route of config.routes) {
    if (!routeMatches(route, alert, tags)) continue;
    destinations.push(...route.to);
    routed = true;
    if (!route.continue) break;
  }
  if (!routed) destinations.push(...(config.defaultRoute ?? defaults));
  return [...new Set(destinations)].filter((d) => reaches(alert, d));
};

/** Whether routing needs the service's tags (a route matches on them, or the channel tag may). */
const routingNeedsTags = (config: RoutingConfig, slackApp: boolean): boolean =>
  slackApp || config.routes.some((route) => Object.keys(route.match.tags ?? {}).length > 0);

export { allowedBy, type RoutingConfig, reaches, routeAlert, routeMatches, routingNeedsTags };
