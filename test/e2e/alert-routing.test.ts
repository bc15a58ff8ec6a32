import { afterEach, describe, expect, it } from 'vitest';
import { startChatStack } from '#support/chat-stack.ts';

type Chat = Awaited<ReturnType<typeof startChatStack>>;
let chat: Chat | undefined;
afterEach(async () => chat?.stack.close());

describe('Alert routing, end to end', () => {
  it("sends a service's alerts to the channel its tag names, errors also to the on-call topic, warnings also to a team's webhook", async () => {
    // Prepare
    let payments = '';
    chat = await startChatStack({
      config: (crew) => ({
        alerts: {
          sns: { enabled: false },
          slackApp: { botTokenParameter: '/harbormaster/slack-bot-token', channel: '#deploys' },
          topics: { oncall: 'arn:aws:sns:us-east-1:123456789012:oncall' },
          // A team still on an incoming webhook gets the warnings of prod, by a route.
          webhooks: {
            sre: {
              webhookUrlParameter: '/harbormaster/slack-webhook-sre',
              minimumSeverity: 'info',
            },
          },
          routes: [
            { name: 'errors', match: { severity: 'error' }, to: ['sns:oncall'], continue: true },
            {
              name: 'sre',
              match: { severity: 'warning', clusters: ['prod'] },
              to: ['webhook:sre'],
              continue: true,
            },
          ],
        },
        chat: {
          signingSecretParameter: '/harbormaster/slack-signing-secret',
          appId: crew.appId,
        },
      }),
    });
    const { local } = chat;
    const app = [...local.slack.workspace.apps.values()][0];
    payments = local.slack.createChannel({
      name: 'payments-deploys',
      members: app ? [app] : [],
    }).id;
    const oncall = local.sns.createTopic('oncall');
    local.ecs.call('TagResource', {
      resourceArn: local.ecs.service('prod', 'web')?.arn,
      tags: [{ key: 'harbormaster:slack-channel', value: '#payments-deploys' }],
    });
    const before = local.slack.history(chat.crew.channel).length;
    // Act
    chat.deploy({ kind: 'crash', afterMs: 8_000, exitCode: 1 });
    await chat.elapse(3);
    // Assess
    const [thread] = local.slack.history(payments);
    expect(local.slack.history(chat.crew.channel)).toHaveLength(before);
    expect(thread?.replies.map((r) => r.text)).toStrictEqual([
      ':information_source: prod/web deployment started',
      ':warning: prod/web deployment failing: 1 task failed',
      ':red_circle: prod/web would roll back to web:1 (failed tasks, notify only)',
    ]);
    expect(local.sns.messages(oncall).map((m) => m.subject)).toStrictEqual([
      '[ERROR] prod/web would roll back to web:1 (failed tasks, notify only)',
    ]);
    const sre = local.slack.posts.filter((p) => p.path.includes('/B-sre/'));
    expect(sre.map((p) => (p.body as { text?: string }).text)).toStrictEqual([
      ':warning: prod/web deployment failing: 1 task failed',
      ':red_circle: prod/web would roll back to web:1 (failed tasks, notify only)',
    ]);
    expect(local.slack.posts.filter((p) => !p.path.includes('/B-sre/'))).toStrictEqual([]);
  }, 60_000);
});
