import { SNSClient } from '@aws-sdk/client-sns';
import { clientConfig } from '#kernel/aws-clients.ts';
import type { KernelConfig } from '#kernel/config/aws.ts';
import { type Runtime, requireEnv } from '#kernel/runtime.ts';
import { registerSecret } from '#kernel/secrets.ts';
import { createSlackChannel } from './channels/slack-channel.ts';
import { createSnsChannel } from './channels/sns-channel.ts';
import type { AlertsConfig } from './config.ts';
import type { AlertChannel } from './ports.ts';

// A separate chunk in the bundle: functions without Slack configured never load the SSM client.
// The value is a credential: registered as a secret before anything could print it, then parsed
// (a malformed value fails the cold start naming the parameter, never showing the value).
const readWebhookUrl = async (
  runtime: Runtime<KernelConfig>,
  slack: { webhookUrlParameter: string; webhookUrlKey?: string | undefined },
): Promise<string> => {
  const { readParameter } = await import('./channels/ssm-parameter.ts');
  const { webhookUrlFrom } = await import('./channels/webhook-url.ts');
  const value = await readParameter(clientConfig(runtime, 'SSM'), slack.webhookUrlParameter);
  registerSecret(value);
  const url = webhookUrlFrom(value, slack.webhookUrlParameter, slack.webhookUrlKey);
  registerSecret(url);
  return url;
};

/**
 * The configured alert channels. The Slack webhook URL is read here, at cold start, from SSM
 * Parameter Store (or Secrets Manager through /aws/reference/secretsmanager/), never from a
 * plaintext variable.
 */
const wireAlertChannels = async (
  runtime: Runtime<KernelConfig & { alerts: AlertsConfig }>,
): Promise<AlertChannel[]> => {
  const { alerts } = runtime.config;
  const channels: AlertChannel[] = [];
  if (alerts.sns.enabled) {
    const sns = runtime.once('sns-client', () => new SNSClient(clientConfig(runtime, 'SNS')));
    channels.push(
      createSnsChannel(sns, requireEnv(runtime, 'ALERT_TOPIC_ARN'), alerts.sns.minimumSeverity),
    );
  }
  if (alerts.slack) {
    const webhookUrl = await readWebhookUrl(runtime, alerts.slack);
    channels.push(createSlackChannel({ webhookUrl, ...alerts.slack }));
  }
  return channels;
};

export { wireAlertChannels };
