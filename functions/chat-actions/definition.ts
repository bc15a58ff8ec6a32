import { SNSClient } from '@aws-sdk/client-sns';
import { alertsSection } from '#alerts/config.ts';
import { formatSlackMessage } from '#alerts/formats/slack.ts';
import { type AlertPorts, notifyRunner } from '#alerts/notify.ts';
import { wireAlerts } from '#alerts/wire.ts';
import { serviceReads } from '#aws/ecs/service-reads.ts';
import { serviceUpdates } from '#aws/ecs/service-updates.ts';
import { wireEcs, wireServiceDeployments } from '#aws/ecs/wire.ts';
import { wireLeaseStore } from '#aws/leases.ts';
import { chatRunners } from '#chat/actions/index.ts';
import { chatSection } from '#chat/config.ts';
import { type ChatAction, decideChat } from '#chat/decide.ts';
import {
  createClickQueue,
  createClickResponder,
  createDirectory,
  createSlackRequests,
} from '#chat/interactions/adapters.ts';
import { type ChatEvent, parseChatEvent } from '#chat/interactions/events.ts';
import { type ChatPorts, type ChatState, loadChatState } from '#chat/load.ts';
import { wireSlackApp } from '#chat/wire.ts';
import { rollbackRunner } from '#guard/actions/rollback.ts';
import { wireGuardStore } from '#guard/wire.ts';
import { clientConfig } from '#kernel/aws-clients.ts';
import { awsSection } from '#kernel/config/aws.ts';
import { ConfigError } from '#kernel/errors.ts';
import type {
  EventContext,
  FunctionConfig,
  FunctionDefinition,
} from '#kernel/function-definition.ts';
import { requireEnv } from '#kernel/runtime.ts';
import { httpAnswer } from './http-answer.ts';

const sections = { aws: awsSection, alerts: alertsSection, chat: chatSection };
type ChatFunctionConfig = FunctionConfig<typeof sections>;

const contextOf = (event: ChatEvent): EventContext => {
  switch (event.kind) {
    case 'slack-request':
      return {
        subject: { account: 'slack', region: event.region },
        eventId: event.requestId,
        summary: `Slack request ${event.requestId}`,
        consequence: 'A click in Slack was not acknowledged; the person sees an error.',
        toStack: true,
      };
    case 'click': {
      const action = event.click.button?.action;
      const target = action && action.kind !== 'acknowledge' ? action : undefined;
      return {
        subject: {
          account: target?.account ?? event.account,
          region: target?.region ?? event.region,
          cluster: action?.cluster,
          service: action?.service,
        },
        eventId: event.click.id,
        summary: `chat click ${event.click.actionId} by ${event.click.user.name}`,
        consequence: `${event.click.user.name}'s ${event.click.actionId} in Slack was not carried out.`,
        toStack: true,
      };
    }
    case 'sweep':
      return {
        subject: { account: event.event.meta.account, region: event.event.meta.region },
        eventId: event.event.meta.id,
        summary: 'sweep of Slack threads held back',
        consequence: 'Replies Slack held back wait for the next sweep.',
      };
  }
};

const notConfigured = (what: string) => () => {
  throw new ConfigError('the chat-actions function', [
    { path: what, message: 'not configured: the function has nothing to do' },
  ]);
};

/**
 * One-click actions from Slack, behind a function URL (auth type NONE: Slack cannot sign with
 * SigV4). A request is verified (Slack's v0 signature over the raw body, five minutes), read,
 * authorised, answered at once and queued; the queued click runs asynchronously (Roll back now,
 * Approve, Reject, Snooze, Acknowledge), checks the service's state first, and writes the outcome
 * into the thread. A one-minute sweep posts what Slack's rate limit held back.
 */
const chatActions: FunctionDefinition<
  ChatEvent,
  ChatState,
  ChatFunctionConfig,
  ChatPorts & AlertPorts,
  ChatAction
> = {
  name: 'chat-actions',
  reads: ['ecs:DescribeServices', 'dynamodb:GetItem', 'dynamodb:Query'],
  configSections: sections,
  runners: {
    ...chatRunners,
    // Roll back now on blue/green, linear and canary deployments: StopServiceDeployment(ROLLBACK).
    rollback: {
      ...rollbackRunner,
      permissions: [
        ...rollbackRunner.permissions,
        'ecs:StopServiceDeployment',
        'ecs:DescribeServiceDeployments',
      ],
    },
    notify: notifyRunner({}),
  },
  parse: parseChatEvent,
  context: contextOf,
  screen: (_event, config) =>
    !config.alerts.slackApp || !config.chat
      ? 'one-click actions are not configured (alerts.slackApp and chat)'
      : undefined,
  load: (event, ports, config) =>
    loadChatState(event, ports, config.chat as NonNullable<typeof config.chat>),
  decide: (event, state, config, now) =>
    decideChat(event, state, config.chat as NonNullable<typeof config.chat>, now),
  wire: async (runtime) => {
    const alerts = await wireAlerts(runtime);
    const { slackApp } = runtime.config.alerts;
    const chat = runtime.config.chat;
    const ecs = wireEcs(runtime, [serviceReads, serviceUpdates]);
    const serviceDeployments = wireServiceDeployments(runtime);
    const own = { account: runtime.env.HARBORMASTER_ACCOUNT_ID, region: runtime.env.AWS_REGION };
    const kernel = { leases: wireLeaseStore(runtime), clock: runtime.now };
    if (!slackApp || !chat) {
      const unset = notConfigured(slackApp ? 'chat' : 'alerts.slackApp');
      return {
        ...alerts,
        requests: { verify: unset },
        directory: { memberOf: unset, tags: unset },
        workspace: unset,
        clicks: { enqueue: unset },
        responder: { tell: unset },
        threads: undefined as never,
        snoozes: { active: unset, extend: unset },
        ecs,
        guardStore: wireGuardStore(runtime),
        serviceDeployments,
        own,
        ...kernel,
      };
    }
    const app = await wireSlackApp(runtime, slackApp);
    const { readSlackSecret } = await import('#chat/secret-parameter.ts');
    const secret = await readSlackSecret(clientConfig(runtime, 'SSM'), {
      field: 'chat.signingSecretParameter',
      parameter: chat.signingSecretParameter,
      key: chat.signingSecretKey,
      shape: /^[A-Za-z0-9]{16,128}$/,
      expected: 'Slack signing secret',
    });
    const sns = runtime.once('sns-client', () => new SNSClient(clientConfig(runtime, 'SNS')));
    let workspace: Promise<string> | undefined;
    const apiUrl = runtime.env.SLACK_API_URL;
    return {
      ...alerts,
      requests: createSlackRequests(secret, runtime.now, runtime.telemetry),
      directory: createDirectory({
        slack: app.slack,
        readTags: async (cluster, service) => (await ecs.describeService(cluster, service))?.tags,
        ttlMs: chat.cacheSeconds * 1000,
        clock: runtime.now,
        telemetry: runtime.telemetry,
      }),
      // auth.test once per container: the workspace a click must come from.
      workspace: () => {
        workspace ??= app.slack.authTest().then((who) => who.teamId);
        workspace.catch(() => {
          workspace = undefined;
        });
        return workspace;
      },
      clicks: createClickQueue(sns, requireEnv(runtime, 'CHAT_ACTIONS_TOPIC_ARN')),
      responder: createClickResponder({
        localHost: apiUrl ? new URL(apiUrl).host : undefined,
        timeoutMs: 2_000,
      }),
      threads: { ...app, format: formatSlackMessage, telemetry: runtime.telemetry },
      snoozes: app.store,
      ecs,
      guardStore: wireGuardStore(runtime),
      serviceDeployments,
      own,
      ...kernel,
    };
  },
  answer: httpAnswer,
};

export { chatActions };
