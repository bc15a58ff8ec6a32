import { SNSClient } from '@aws-sdk/client-sns';
import { createSlackAppChannel } from '#chat/channel.ts';
import type { ChatConfig } from '#chat/config.ts';
import { wireSlackApp } from '#chat/wire.ts';
import { clientConfig } from '#kernel/aws-clients.ts';
import type { KernelConfig } from '#kernel/config/aws.ts';
import { ConfigError } from '#kernel/errors.ts';
import { type Runtime, requireEnv } from '#kernel/runtime.ts';
import { registerSecret } from '#kernel/secrets.ts';
import { createSlackChannel } from './channels/slack-channel.ts';
import { createSnsChannel } from './channels/sns-channel.ts';
import { type AlertsConfig, routeIssues } from './config.ts';
import { formatSlackMessage } from './formats/slack.ts';
import type { AlertPorts } from './notify.ts';
import type { AlertChannel } from './ports.ts';
import { cachedTags, createAlertRouter, type TagReader } from './router.ts';
import { routingNeedsTags } from './routing.ts';

type AlertsRuntime = Runtime<KernelConfig & { alerts: AlertsConfig; chat?: ChatConfig }>;

// A separate chunk in the bundle: functions without Slack configured never load the SSM client.
// The value is a credential: registered as a secret before anything could print it, then parsed
// (a malformed value fails the cold start naming the parameter, never showing the value).
const readWebhookUrl = async (
  runtime: Runtime<KernelConfig>,
  slack: { webhookUrlParameter: string; webhookUrlKey?: string | undefined },
  field = 'alerts.slack.webhookUrlParameter',
): Promise<string> => {
  const { readParameter } = await import('./channels/ssm-parameter.ts');
  const { webhookUrlFrom } = await import('./channels/webhook-url.ts');
  const value = await readParameter(clientConfig(runtime, 'SSM'), slack.webhookUrlParameter);
  registerSecret(value);
  const url = webhookUrlFrom(value, slack.webhookUrlParameter, slack.webhookUrlKey, field);
  registerSecret(url);
  return url;
};

/**
 * The configured alert channels. The Slack webhook URL is read here, at cold start, from SSM
 * Parameter Store (or Secrets Manager through /aws/reference/secretsmanager/), never from a
 * plaintext variable.
 */
const wireAlertChannels = async (runtime: AlertsRuntime): Promise<AlertChannel[]> => {
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
  const app = alerts.slackApp;
  if (app?.channel) {
    const { slack, store, buttons } = await wireSlackApp(runtime, app);
    channels.push(
      createSlackAppChannel(
        { channel: app.channel, minimumSeverity: app.minimumSeverity },
        { slack, store, buttons, format: formatSlackMessage, telemetry: runtime.telemetry },
      ),
    );
  }
  return channels;
};

// The ECS client loads on demand: only functions whose routing needs tags ever read them.
const serviceTagReader =
  (runtime: Runtime<KernelConfig>): TagReader =>
  async (cluster, service) => {
    const { wireEcs } = await import('#aws/ecs/wire.ts');
    const { serviceReads } = await import('#aws/ecs/service-reads.ts');
    const ecs = runtime.once('alerts-tags-ecs', () => wireEcs(runtime, [serviceReads]));
    return (await ecs.describeService(cluster, service))?.tags;
  };

/**
 * A function's alert ports, but for the kernel's leases: the configured channels (the stack's
 * topic, the Slack webhook, the Slack app's default channel), the router that sends each alert where
 * alerts.routes say (extra topics, other Slack channels, a service's own channel from its tag),
 * and the snoozes set from chat. Routes naming a destination that is not configured fail the
 * cold start, naming the field.
 */
const wireAlerts = async (runtime: AlertsRuntime): Promise<Omit<AlertPorts, 'leases'>> => {
  const { alerts } = runtime.config;
  const issues = routeIssues(alerts);
  if (issues.length > 0) throw new ConfigError('the alert routes', issues);
  const channels = await wireAlertChannels(runtime);
  const named = new Map(channels.map((channel) => [channel.name, channel]));
  const defaults = channels.map((channel) => channel.name);
  const sns = runtime.once('sns-client', () => new SNSClient(clientConfig(runtime, 'SNS')));
  for (const [name, arn] of Object.entries(alerts.topics))
    named.set(`sns:${name}`, createSnsChannel(sns, arn, 'info', `sns:${name}`));
  for (const [name, webhook] of Object.entries(alerts.webhooks)) {
    const field = `alerts.webhooks.${name}.webhookUrlParameter`;
    const webhookUrl = await readWebhookUrl(runtime, webhook, field);
    named.set(
      `webhook:${name}`,
      createSlackChannel({ webhookUrl, ...webhook, name: `webhook:${name}` }),
    );
  }
  const app = alerts.slackApp ? await wireSlackApp(runtime, alerts.slackApp) : undefined;
  const appSettings = alerts.slackApp;
  const context = app && { ...app, format: formatSlackMessage, telemetry: runtime.telemetry };
  return {
    channels,
    router: createAlertRouter({
      config: alerts,
      channels: named,
      defaults,
      slackChannel:
        context && appSettings
          ? (channel) =>
              createSlackAppChannel(
                { channel, minimumSeverity: appSettings.minimumSeverity },
                context,
              )
          : undefined,
      tags: routingNeedsTags(alerts, app !== undefined)
        ? cachedTags(serviceTagReader(runtime), 5 * 60_000, runtime.now, runtime.telemetry)
        : undefined,
      ownAccount: runtime.env.HARBORMASTER_ACCOUNT_ID,
      telemetry: runtime.telemetry,
    }),
    snoozes: app?.store,
  };
};

export { wireAlertChannels, wireAlerts };
