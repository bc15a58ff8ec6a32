import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { decodeButton, encodeButton } from '#chat/buttons.ts';
import { chatSection } from '#chat/config.ts';
import type { Click } from '#chat/interactions/click.ts';
import { decideRequest, type RequestRead } from '#chat/interactions/decide-request.ts';

/**
 * What the function URL answers a verified click, within Slack's three seconds: the workspace
 * (auth.test's team) and the app (api_app_id) must be this Harbormaster's, and someone must let the
 * user press the button (block_actions payload: docs.slack.dev/reference/interaction-payloads/
 * block_actions-payload). Anyone else gets 200 and an ephemeral "not allowed"; nothing is queued.
 */

const chat = v.parse(chatSection(), {
  signingSecretParameter: '/harbormaster/slack-signing-secret',
  appId: 'A0HARBOR01',
  permissions: [{ actions: ['rollback'], clusters: ['prod'], users: ['U0ALICE001'] }],
}) as NonNullable<v.InferOutput<ReturnType<typeof chatSection>>>;

const value = encodeButton({
  thread: { channel: '#deploys', threadId: 'ecs-prod-web-1' },
  action: {
    kind: 'rollback',
    account: '123456789012',
    region: 'us-east-1',
    cluster: 'prod',
    service: 'web',
    deploymentId: 'ecs-svc/1',
    taskDefinition: 'web:1',
  },
});

const click = (overrides: Partial<Click> = {}): Click => ({
  id: 'T0HARBOR01/U0ALICE001/1795251900.000001',
  user: { id: 'U0ALICE001', name: 'alice' },
  team: 'T0HARBOR01',
  appId: 'A0HARBOR01',
  channelId: 'C0DEPLOYS1',
  messageTs: '1795251900.000000',
  responseUrl: 'https://hooks.slack.com/actions/T0HARBOR01/1/x',
  actionId: 'harbormaster.rollback',
  value,
  button: value === undefined ? undefined : decodeButton(value),
  at: '2026-11-21T09:05:00.000Z',
  ...overrides,
});

const verified = (c: Click): RequestRead => ({
  verdict: 'verified',
  click: c,
  workspace: 'T0HARBOR01',
  tags: undefined,
  memberOf: [],
});

const types = (read: RequestRead) => decideRequest(read, chat).actions.map((a) => a.type);
const told = (read: RequestRead) =>
  decideRequest(read, chat).actions.flatMap((a) => (a.type === 'tell-clicker' ? [a.text] : []));

describe('The answer to a request on the function URL', () => {
  it('queues an allowed click and acknowledges it', () => {
    // Assess
    expect(types(verified(click()))).toStrictEqual(['enqueue-click', 'respond']);
  });

  it.each([
    [
      'another workspace',
      click({ team: 'T0ELSEWHER' }),
      'Not allowed: this Harbormaster belongs to another workspace.',
    ],
    [
      'another app',
      click({ appId: 'A0OTHERAPP' }),
      'Not allowed: this button belongs to another app.',
    ],
    [
      'a button that is not Harbormaster\u2019s',
      click({ value: 'x', button: undefined }),
      'This button is not one of Harbormaster\u2019s.',
    ],
    [
      'a user no rule names',
      click({ user: { id: 'U0MALLORY1', name: 'mallory' } }),
      "Not allowed: you may not roll back prod/web. Ask for it in chat.permissions or the service's harbormaster:chat-operators tag.",
    ],
  ])('answers a click from %s with 200 and "not allowed", queueing nothing', (_what, c, text) => {
    // Act
    const decision = decideRequest(verified(c), chat);
    // Assess
    expect(decision.actions.map((a) => a.type)).toStrictEqual(['respond', 'tell-clicker']);
    expect(decision.actions[0]).toMatchObject({ status: 200 });
    expect(told(verified(c))).toStrictEqual([text]);
    expect(decision.reason).toMatch(/^not allowed: /);
  });

  it.each([
    [{ verdict: 'refused', problem: 'wrong signature' } as const, 401],
    [{ verdict: 'malformed', problem: 'no payload field' } as const, 400],
  ])('answers %o with HTTP %i and nothing else', (read, status) => {
    // Act
    const decision = decideRequest(read, chat);
    // Assess
    expect(decision.actions).toStrictEqual([{ type: 'respond', status, reason: read.problem }]);
  });
});
