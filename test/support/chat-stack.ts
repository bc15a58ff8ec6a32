import type { BehaviorSpec, LocalAws, SlackHttpRequest } from '@harbormaster/local-aws';
import { type LocalStack, startLocalStack } from '#apps/local/lambda/local-stack.ts';
import type { ConfigInput } from '#config/schema.ts';
import { createService, registerRevision } from './local-services.ts';

const START = new Date('2026-11-21T09:00:00Z');

/** The people of the simulated workspace and what the configuration lets them do. */
interface Crew {
  alice: { id: string; name: string };
  bob: { id: string; name: string };
  mallory: { id: string; name: string };
  channel: string;
  group: string;
  appId: string;
}

/**
 * Harbormaster on the embedded endpoint with the Slack app posting to #deploys and one-click
 * actions on: alice may press every button on prod, the on-call group (bob) may roll back and
 * acknowledge, mallory is in the channel and may press nothing. prod/web runs v1 at steady state.
 */
const startChatStack = async (
  options: { config?: (crew: Crew) => ConfigInput; desiredCount?: number } = {},
) => {
  let crew: Crew | undefined;
  const stack: LocalStack = await startLocalStack({
    now: START,
    config: (local: LocalAws) => {
      const app = local.slack.installApp({ name: 'Harbormaster' });
      const alice = local.slack.createUser('alice');
      const bob = local.slack.createUser('bob');
      const mallory = local.slack.createUser('mallory');
      const channel = local.slack.createChannel({
        name: 'deploys',
        members: [app, alice, bob, mallory],
      });
      const group = local.slack.createUserGroup({ handle: 'web-oncall', users: [bob] });
      crew = { alice, bob, mallory, channel: channel.id, group: group.id, appId: app.appId };
      const base: ConfigInput = {
        alerts: {
          sns: { enabled: false },
          slackApp: { botTokenParameter: '/harbormaster/slack-bot-token', channel: '#deploys' },
        },
        chat: {
          signingSecretParameter: '/harbormaster/slack-signing-secret',
          appId: app.appId,
          permissions: [
            {
              actions: ['rollback', 'approve', 'reject', 'snooze', 'acknowledge'],
              clusters: ['prod'],
              users: [alice.id],
            },
            { actions: ['rollback', 'acknowledge'], userGroups: [group.id] },
          ],
        },
        deploymentGuard: { failedTasks: { mode: 'notify', count: 2 } },
      };
      return options.config ? { ...base, ...options.config(crew) } : base;
    },
  });
  const { local } = stack;
  const people = crew as Crew;
  const { taskDefinition: v1 } = createService(local, { desiredCount: options.desiredCount ?? 2 });
  await local.clock.advance(5 * 60_000);
  await stack.settle();

  /** Registers v2 behaving as told and deploys it. */
  const deploy = (behavior: BehaviorSpec | undefined): string => {
    const v2 = registerRevision(local, 'web', 'public.ecr.aws/nginx/nginx:1.28');
    if (behavior) local.ecs.setBehavior(v2, behavior);
    local.ecs.call('UpdateService', { cluster: 'prod', service: 'web', taskDefinition: v2 });
    return v2;
  };

  const elapse = async (minutes: number): Promise<void> => {
    await local.clock.advance(minutes * 60_000);
    await stack.settle();
  };

  /** The top-level messages of #deploys: each a thread's parent, as it stands now. */
  const parents = () => local.slack.history(people.channel);

  /** What the function answers a request to its URL (through the local Lambda host). */
  const send = async (request: SlackHttpRequest) => {
    const answer = await stack.functionUrl('chat-actions', request);
    await stack.settle();
    return answer;
  };

  /** A click on a button of a message, as Slack signs and sends it. */
  const click = (user: { id: string; name: string }, messageTs: string, actionId: string) => {
    const app = [...local.slack.workspace.apps.values()][0];
    if (!app) throw new Error('no Slack app installed');
    return local.slack.blockAction({
      app,
      user: local.slack.workspace.users.get(user.id) ?? (user as never),
      channel: people.channel,
      messageTs,
      actionId,
    });
  };

  /** The ephemeral answers a user got through response_urls. */
  const toldTo = (user: { id: string }) =>
    local.slack.responseUrls.ephemerals.filter((e) => e.user === user.id).map((e) => e.text);

  return { stack, local, crew: people, v1, deploy, elapse, parents, send, click, toldTo };
};

export { type Crew, startChatStack };
