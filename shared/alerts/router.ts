import type { Alert } from '#kernel/alerts/model.ts';
import type { Telemetry } from '#kernel/telemetry.ts';
import type { AlertsConfig } from './config.ts';
import type { AlertChannel, AlertRouter } from './ports.ts';
import { routeAlert } from './routing.ts';

/** Reads a service's tags (DescribeServices with TAGS), or undefined when it cannot. */
type TagReader = (cluster: string, service: string) => Promise<Record<string, string> | undefined>;

interface RouterParts {
  config: Pick<AlertsConfig, 'routes' | 'defaultRoute' | 'channelTag'>;
  /** The channels by destination name: sns, sns:<name>, slack, slack:<default channel>. */
  channels: ReadonlyMap<string, AlertChannel>;
  /** The default route: the configured channels (not the extra topics). */
  defaults: readonly string[];
  /** A channel of the Slack app for a Slack channel no configuration names (a service's tag). */
  slackChannel?: ((channel: string) => AlertChannel) | undefined;
  /** Reads tags, for alerts about services of this account (absent: routing needs none). */
  tags?: TagReader | undefined;
  ownAccount: string | undefined;
  telemetry: Telemetry;
}

/**
 * The router of a function: reads the service's tags when routing needs them (routes on tags,
 * the channel tag), routes the alert (routing.ts), and hands out the channels of its
 * destinations. A destination that cannot be built is logged and left out, never fatal.
 */
const createAlertRouter = (parts: RouterParts): AlertRouter => {
  const built = new Map(parts.channels);
  const channelOf = (name: string): AlertChannel | undefined => {
    const known = built.get(name);
    if (known) return known;
    if (name.startsWith('slack:') && parts.slackChannel) {
      const channel = parts.slackChannel(name.slice('slack:'.length));
      built.set(name, channel);
      return channel;
    }
    return undefined;
  };
  const tagsOf = async (alert: Alert) => {
    const { cluster, service, account } = alert.subject;
    if (!parts.tags || !cluster || !service) return undefined;
    if (parts.ownAccount && account !== parts.ownAccount) return undefined;
    return parts.tags(cluster, service);
  };
  return {
    channelsFor: async (alert) => {
      const names = routeAlert(alert, parts.config, await tagsOf(alert), parts.defaults);
      return names.flatMap((name) => {
        const channel = channelOf(name);
        if (!channel)
          parts.telemetry.log.warn('Alert destination not configured; left out', {
            destination: name,
          });
        return channel ? [channel] : [];
      });
    },
  };
};

/** A tag reader that keeps each service's tags for `ttlMs` and reads none it cannot. */
const cachedTags = (
  read: TagReader,
  ttlMs: number,
  now: () => Date,
  telemetry: Telemetry,
): TagReader => {
  const cache = new Map<string, { at: number; tags: Record<string, string> | undefined }>();
  return async (cluster, service) => {
    const key = `${cluster}/${service}`;
    const hit = cache.get(key);
    if (hit && now().getTime() - hit.at < ttlMs) return hit.tags;
    let tags: Record<string, string> | undefined;
    try {
      tags = await read(cluster, service);
    } catch (error) {
      // Routing on what is known beats not alerting: the default route takes it.
      telemetry.log.warn('Service tags unreadable; routed without them', {
        service: key,
        error: (error as Error).message.slice(0, 200),
      });
      return undefined;
    }
    cache.set(key, { at: now().getTime(), tags });
    return tags;
  };
};

export { cachedTags, createAlertRouter, type TagReader };
