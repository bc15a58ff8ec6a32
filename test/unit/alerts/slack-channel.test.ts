import { describe, expect, it } from 'vitest';
import { createSlackChannel } from '#alerts/channels/slack-channel.ts';
import type { AlertMessage } from '#kernel/alerts/model.ts';
import { TransientError } from '#kernel/errors.ts';

const message: AlertMessage = {
  id: 'service-event|prod/web',
  severity: 'error',
  kind: 'service-event',
  eventType: 'SERVICE_TASK_PLACEMENT_FAILURE',
  title: 'prod/web cannot place tasks',
  summary: 'ECS could not place tasks.',
  fields: [],
  details: [],
  nextSteps: [],
  links: [],
  threadId: 'prod/web',
  resources: [],
  attributes: {},
  occurredAt: '2026-11-21T09:00:00.000Z',
  actions: [],
};

/** A webhook that answers 200 and counts the posts it received. */
const webhook = () => {
  const posts: string[] = [];
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    posts.push(String(init.body));
    return new Response('ok', { status: 200 });
  }) as typeof fetch;
  return { posts, fetchImpl };
};

describe('Slack channel and the invocation’s remaining time', () => {
  it('begins no post with less than a second of the invocation left, and fails retryably', async () => {
    // Prepare: a post cut short by the invocation's end might reach Slack unanswered
    const { posts, fetchImpl } = webhook();
    const slack = createSlackChannel({
      webhookUrl: 'https://hooks.slack.com/services/T0/B0/x',
      minimumSeverity: 'info',
      timeoutMs: 3_000,
      fetchImpl,
    });
    // Act
    const sending = slack.send(message, { remainingMs: () => 400 });
    // Assess
    await expect(sending).rejects.toBeInstanceOf(TransientError);
    await expect(sending).rejects.toThrow(/no time left in this invocation to post/);
    expect(posts).toStrictEqual([]);
  });

  it('posts once when the invocation has time', async () => {
    // Prepare
    const { posts, fetchImpl } = webhook();
    const slack = createSlackChannel({
      webhookUrl: 'https://hooks.slack.com/services/T0/B0/x',
      minimumSeverity: 'info',
      timeoutMs: 3_000,
      fetchImpl,
    });
    // Act
    await slack.send(message, { remainingMs: () => 20_000 });
    // Assess
    expect(posts).toHaveLength(1);
  });
});
