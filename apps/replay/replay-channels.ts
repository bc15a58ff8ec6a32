import type { AlertChannel } from '#alerts/ports.ts';
import type { Config } from '#config/schema.ts';
import type { Severity } from '#kernel/alerts/model.ts';

/**
 * A channel that sends nothing, with the name and minimum severity of the channel it stands for:
 * alert leases are per channel, so the in-memory lease store drops repeats exactly as production's
 * DynamoDB leases do, per channel, and the notify runner reports each alert as
 * sent, duplicate or below the channel's minimum severity.
 */
class ReplayChannel implements AlertChannel {
  readonly name: string;
  readonly minimumSeverity: Severity;

  constructor(name: string, minimumSeverity: Severity) {
    this.name = name;
    this.minimumSeverity = minimumSeverity;
  }

  async send(): Promise<void> {}
}

/**
 * The alert channels the configuration sets up (as the composition root wires them: SNS when
 * enabled, Slack when configured). With neither configured, alerts would reach nobody live; the
 * replay still shows them, on one channel named "no channel configured".
 */
const replayChannels = (config: Config): AlertChannel[] => {
  const channels: AlertChannel[] = [];
  if (config.alerts.sns.enabled)
    channels.push(new ReplayChannel('sns', config.alerts.sns.minimumSeverity));
  if (config.alerts.slack)
    channels.push(new ReplayChannel('slack', config.alerts.slack.minimumSeverity));
  if (channels.length === 0) channels.push(new ReplayChannel('no channel configured', 'info'));
  return channels;
};

export { replayChannels };
