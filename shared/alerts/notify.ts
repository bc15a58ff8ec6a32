import { snoozeKey } from '#kernel/alerts/chat-actions.ts';
import type { AlertMessage, NotifyAction } from '#kernel/alerts/model.ts';
import { atLeast } from '#kernel/alerts/model.ts';
import { classifyFailure } from '#kernel/failures.ts';
import { spendableMs } from '#kernel/invocation.ts';
import type { LeaseStore } from '#kernel/lease/port.ts';
import { runOnce } from '#kernel/lease/run-once.ts';
import type { ActionContext, ActionRunner } from '#kernel/runner.ts';
import type { AlertChannel, AlertRouter, SnoozeReader } from './ports.ts';
import { type RendererTable, renderAlert } from './render.ts';
import { reaches } from './routing.ts';

type ChannelOutcome =
  | { outcome: 'sent' | 'duplicate' | 'below-minimum-severity' | 'not-routed' | 'uncertain' }
  | { outcome: 'rejected'; error: string };

// A delivery's record outlives Lambda's two retries of the invocation (1 and 3 minutes after the
// first attempt), so a deduplication window shorter than that never lets a retry send twice.
const MIN_KEEP_SECONDS = 5 * 60;

/**
 * One lease per alert and channel (`alert#<dedup key>#<channel>`): if SNS succeeded and Slack
 * failed, the retry sends only to Slack. A send can be neither checked nor repeated safely, so the
 * lease is marked `acting` right before it: an attempt that died after that point leaves the
 * delivery uncertain, and the retry reports it instead of sending it twice.
 */
const deliver = async (
  channel: AlertChannel,
  message: AlertMessage,
  action: NotifyAction,
  context: ActionContext<AlertPorts>,
): Promise<ChannelOutcome> => {
  if (!reaches(action.alert, channel.name)) return { outcome: 'not-routed' };
  if (!atLeast(action.alert.severity, channel.minimumSeverity))
    return { outcome: 'below-minimum-severity' };
  const { key, windowSeconds } = action.alert.dedup;
  const once = {
    leases: context.ports.leases,
    invocation: context.invocation,
    clock: context.clock,
  };
  const budget = { remainingMs: () => spendableMs(context.invocation), once };
  const outcome = await runOnce<ChannelOutcome>(
    {
      key: `alert#${key}#${channel.name}`,
      keepSeconds: Math.max(windowSeconds, MIN_KEEP_SECONDS),
      ...(channel.repeatable ? { repeatable: true } : {}),
      act: async () => {
        try {
          await channel.send(message, budget);
          return { outcome: 'sent' };
        } catch (error) {
          // A channel that rejects the message for good must not block the others or trigger retries.
          if (classifyFailure(error).retryable) throw error;
          return { outcome: 'rejected', error: (error as Error).message };
        }
      },
    },
    once,
  );
  if (outcome.status === 'uncertain') return { outcome: 'uncertain' };
  return outcome.status === 'already' ? { outcome: 'duplicate' } : outcome.result;
};

/**
 * The ports the notify runner uses: the channels, the leases that make each delivery once, and
 * where wired, the router (alerts.routes: the channels of each alert) and the snoozes set from chat.
 */
interface AlertPorts {
  channels: readonly AlertChannel[];
  leases: LeaseStore;
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
 * The runner that sends an alert to each channel once per deduplication window, knowing the
 * alert kinds of `renderers` (a function's definition assembles them from its wings).
 */
const notifyRunner = (renderers: RendererTable): ActionRunner<NotifyAction, AlertPorts> => ({
  effect: true,
  // kms: the topic is encrypted; dynamodb: the delivery leases.
  permissions: [
    'sns:Publish',
    'kms:GenerateDataKey',
    'kms:Decrypt',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
  ],
  describe: (action) => {
    const message = renderAlert(action.alert, renderers);
    return `alert (${message.severity}) "${message.title}"`;
  },
  run: async (action, context) => {
    const { telemetry } = context;
    const message = renderAlert(action.alert, renderers);
    const snooze = await snoozeOf(message, context.ports, context.now);
    if (snooze) {
      telemetry.counters.count('AlertsSnoozed');
      telemetry.log.info('Alert snoozed', {
        alert: message.title,
        until: snooze.until,
        by: snooze.by,
      });
      return { status: 'skipped', detail: `snoozed until ${snooze.until} by ${snooze.by}` };
    }
    const { ports } = context;
    const channels = ports.router ? await ports.router.channelsFor(action.alert) : ports.channels;
    const outcomes: string[] = [];
    const uncertain: string[] = [];
    for (const channel of channels) {
      const result = await deliver(channel, message, action, context);
      if (result.outcome === 'duplicate') telemetry.counters.count('AlertsDeduplicated');
      if (result.outcome === 'sent') telemetry.counters.count('AlertsSent');
      if (result.outcome === 'uncertain') {
        telemetry.counters.count('AlertsUncertain');
        uncertain.push(channel.name);
      }
      if (result.outcome === 'rejected') {
        telemetry.counters.count('AlertsRejected');
        telemetry.log.error('Alert channel rejected the alert', {
          channel: channel.name,
          error: result.error,
        });
      }
      outcomes.push(`${channel.name}: ${result.outcome}`);
    }
    if (uncertain.length > 0)
      // Not sent again (it may have been sent): logged and counted (AlertsUncertain) instead.
      telemetry.log.error('Alert delivery uncertain: an earlier attempt died while sending it', {
        alert: message.title,
        channels: uncertain,
      });
    const sent = outcomes.some((outcome) => outcome.endsWith(': sent'));
    const detail = outcomes.length > 0 ? outcomes.join(', ') : 'no alert channel configured';
    return { status: sent ? 'done' : 'skipped', detail };
  },
});

export { type AlertPorts, notifyRunner };
