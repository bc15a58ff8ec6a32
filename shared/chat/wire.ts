import { dynamoDbClient } from '#aws/dynamodb-client.ts';
import { clientConfig } from '#kernel/aws-clients.ts';
import type { KernelConfig } from '#kernel/config/aws.ts';
import { type Runtime, requireEnv } from '#kernel/runtime.ts';
import type { ChatConfig } from './config.ts';
import type { ButtonOptions } from './messages.ts';
import type { SnoozeStore, ThreadStore } from './ports.ts';
import type { SlackWebApi } from './slack/web-api.ts';
import { createChatStore } from './store.ts';

/** What the Slack app posts with: its Web API (bot token), the threads and snoozes. */
interface SlackApp {
  slack: SlackWebApi;
  store: ThreadStore & SnoozeStore;
  /** The buttons messages carry (none unless the chat section configures the actions). */
  buttons: ButtonOptions;
}

interface SlackAppSettings {
  botTokenParameter: string;
  botTokenKey?: string | undefined;
  timeoutMs: number;
  maxRetryAfterSeconds: number;
}

// Bot tokens are xoxb-<digits>-<digits>-<alphanumerics> (docs.slack.dev/authentication/tokens).
const BOT_TOKEN = /^xoxb-[A-Za-z0-9-]{10,250}$/;
const DEFAULT_API_URL = 'https://slack.com/api/';

/** The threads and snoozes in the guard's table. */
const wireChatStore = (runtime: Runtime<KernelConfig>): ThreadStore & SnoozeStore =>
  runtime.once('chat-store', () =>
    createChatStore(dynamoDbClient(runtime), requireEnv(runtime, 'GUARD_TABLE_NAME'), runtime.now),
  );

/**
 * The Slack app, once per runtime: the bot token is read at cold start from SSM (or Secrets
 * Manager through SSM), never from a plaintext variable, and registered as a secret so no log line
 * carries it. The SSM client and the Web API client load on demand: functions without the app
 * never load them.
 */
const wireSlackApp = (
  runtime: Runtime<KernelConfig & { chat?: ChatConfig }>,
  settings: SlackAppSettings,
): Promise<SlackApp> =>
  runtime.once('slack-app', async () => {
    const { readSlackSecret } = await import('./secret-parameter.ts');
    const { createSlackWebApi } = await import('./slack/web-api.ts');
    const token = await readSlackSecret(clientConfig(runtime, 'SSM'), {
      field: 'alerts.slackApp.botTokenParameter',
      parameter: settings.botTokenParameter,
      key: settings.botTokenKey,
      shape: BOT_TOKEN,
      expected: 'Slack bot token (xoxb-...)',
    });
    const chat = runtime.config.chat;
    return {
      slack: createSlackWebApi({
        token,
        apiUrl: runtime.env.SLACK_API_URL ?? DEFAULT_API_URL,
        timeoutMs: settings.timeoutMs,
        maxWaitMs: settings.maxRetryAfterSeconds * 1000,
      }),
      store: wireChatStore(runtime),
      buttons: { interactive: chat !== undefined, snoozeMinutes: chat?.snoozeMinutes ?? [] },
    };
  });

export { type SlackApp, type SlackAppSettings, wireChatStore, wireSlackApp };
