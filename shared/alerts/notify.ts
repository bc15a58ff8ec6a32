import { snoozeKey } from '#kernel/alerts/chat-actions.ts';
import type { AlertMessage, NotifyAction } from '#kernel/alerts/model.ts';
import { atLeast } from '#kernel/alerts/model.ts';
import { classifyFailure } from '#kernel/failures.ts';
import type { ActionRunner } from '#kernel/runner.ts';
import type { AlertChannel, AlertRouter, DedupStore, SnoozeReader } from './ports.ts';
import { type RendererTable, renderAlert } from './render.ts';
import { reaches } from './routing.ts';

type ChannelOutcome =
  | { outcome: 'sent' | 'duplicate' | 'below-minimum-severity' | 'not-routed' }
  | { outcome: 'rejected'; error: string };

// One claim per channel: if SNS succeeded and Slack failed, the retry re-sends only to Slack.
const deliver = async (
  channel: AlertChannel,
  message: AlertMessage,
  action: NotifyAction,
  dedup: DedupStore,
  now: Date,
): Promise<ChannelOutcome> => {
  if (!reaches(action.alert, channel.name)) return { outcome: 'not-routed' };
  if (!atLeast(action.alert.severity, channel.minimumSeverity))
    return { outcome: 'below-minimum-severity' };
  const { key, windowSeconds } = action.alert.dedup;
  const channelKey = `${key}#${channel.name}`;
  const claimed = windowSeconds > 0 && (await dedup.claim(channelKey, now, windowSeconds));
  if (windowSeconds > 0 && !claimed) return { outcome: 'duplicate' };
  try {
    await channel.send(message);
  } catch (error) {
    if (claimed) await dedup.release(channelKey);
    // A channel that rejects the message for good must not block the others or trigger retries.
    if (!classifyFailure(error).retryable)
      return { outcome: 'rejected', error: (error as Error).message };
    throw error;
  }
  return { outcome: 'sent' };
};

/**
 * The ports the notify runner uses: the channels, the store that deduplicates, and where wired,
 * the router (alerts.routes: the channels of each alert) and the snoozes set from chat.
 */
interface AlertPorts {
  channels: readonly AlertChannel[];
  dedup: DedupStore;
  router?: AlertRouter | undefined;
  snoozes?: SnoozeReader | undefined;
}

/** The snooze in force on the alert of a message that offers Snooze, if any. */
const snoozeOf = async (message: AlertMessage, ports: AlertPorts, now: Date) => {
  const snoozable = message.actions.find((a) => a.kind === 'snooze');
  if (!snoozable || !ports.snoozes) return undefined;
  return ports.snoozes.active(snoozeKey(snoozable), now);
};

/**
 * The runner that sends an alert to each channel at most once per deduplication window, knowing
 * the alert kinds of `renderers` (a function's definition assembles them from its wings).
 */
const notifyRunner = (renderers: RendererTable): ActionRunner<NotifyAction, AlertPorts> => ({
  // kms: the topic is encrypted; dynamodb: the deduplication claims.
  permissions: [
    'sns:Publish',
    'kms:GenerateDataKey',
    'kms:Decrypt',
    'dynamodb:PutItem',
    'dynamodb:DeleteItem',
  ],
  describe: (action) => {
    const message = renderAlert(action.alert, renderers);
    return `alert (${message.severity}) "${message.title}"`;
  },
  run: async (action, { ports, telemetry, now }) => {
    const message = renderAlert(action.alert, renderers);
    const snooze = await snoozeOf(message, ports, now);
    if (snooze) {
      telemetry.counters.count('AlertsSnoozed');
      telemetry.log.info('Alert snoozed', {
        alert: message.title,
        until: snooze.until,
        by: snooze.by,
      });
      return { status: 'skipped', detail: `snoozed until ${snooze.until} by ${snooze.by}` };
    }
    const channels = ports.router ? await ports.router.channelsFor(action.alert) : ports.channels;
    const outcomes: string[] = [];
    for (const channel of channels) {
      const result = await deliver(channel, message, action, ports.dedup, now);
      if (result.outcome === 'duplicate') telemetry.counters.count('AlertsDeduplicated');
      if (result.outcome === 'sent') telemetry.counters.count('AlertsSent');
      if (result.outcome === 'rejected') {
        telemetry.counters.count('AlertsRejected');
        telemetry.log.error('Alert channel rejected the alert', {
          channel: channel.name,
          error: result.error,
        });
      }
      outcomes.push(`${channel.name}: ${result.outcome}`);
    }
    const sent = outcomes.some((outcome) => outcome.endsWith(': sent'));
    const detail = outcomes.length > 0 ? outcomes.join(', ') : 'no alert channel configured';
    return { status: sent ? 'done' : 'skipped', detail };
  },
});

export { type AlertPorts, notifyRunner };
