import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { chatSection } from '#chat/config.ts';
import { authorize, groupsToCheck } from '#chat/interactions/authorize.ts';

const chat = v.parse(chatSection(), {
  signingSecretParameter: '/harbormaster/slack-signing-secret',
  appId: 'A0HARBOR01',
  permissions: [
    { actions: ['rollback', 'approve', 'reject'], clusters: ['prod'], users: ['U0ALICE001'] },
    { actions: ['rollback', 'acknowledge'], services: ['pay*'], userGroups: ['S0ONCALL01'] },
    { actions: ['snooze'], users: ['U0CAROL001'] },
  ],
}) as NonNullable<v.InferOutput<ReturnType<typeof chatSection>>>;

const ask = (
  action: 'rollback' | 'approve' | 'reject' | 'snooze' | 'acknowledge',
  user: string,
  where: { cluster?: string; service?: string; tags?: Record<string, string> } = {},
) => ({
  action,
  cluster: where.cluster ?? 'prod',
  service: where.service ?? 'web',
  user,
  tags: where.tags,
});

describe('Who may press which button', () => {
  it.each([
    ['a user a rule names, on its cluster', ask('rollback', 'U0ALICE001'), new Set<string>(), true],
    [
      'the same user on another cluster',
      ask('rollback', 'U0ALICE001', { cluster: 'staging' }),
      new Set<string>(),
      false,
    ],
    [
      'the same user for an action the rule does not name',
      ask('snooze', 'U0ALICE001'),
      new Set<string>(),
      false,
    ],
    [
      'a member of a group a rule names, on a matching service',
      ask('rollback', 'U0BOB00001', { service: 'payments' }),
      new Set(['S0ONCALL01']),
      true,
    ],
    [
      'a member of that group on another service',
      ask('rollback', 'U0BOB00001', { service: 'web' }),
      new Set(['S0ONCALL01']),
      false,
    ],
    ['someone in no rule', ask('rollback', 'U0MALLORY1'), new Set<string>(), false],
    [
      'someone the service tag lists',
      ask('approve', 'U0DAVE0001', {
        cluster: 'staging',
        tags: { 'harbormaster:chat-operators': 'U0DAVE0001, S0OTHER001' },
      }),
      new Set<string>(),
      true,
    ],
    [
      'a member of a group the service tag lists',
      ask('reject', 'U0ERIN0001', {
        cluster: 'staging',
        tags: { 'harbormaster:chat-operators': 'U0DAVE0001 S0OTHER001' },
      }),
      new Set(['S0OTHER001']),
      true,
    ],
    [
      'someone another tag lists',
      ask('reject', 'U0DAVE0001', { tags: { team: 'U0DAVE0001' } }),
      new Set<string>(),
      false,
    ],
  ])('%s: %s', (_what, request, memberOf, allowed) => {
    // Act
    const verdict = authorize(chat, request, memberOf);
    // Assess
    expect(verdict.allowed).toBe(allowed);
  });

  it('looks up only the groups that could let the click through', () => {
    // Act
    const onPayments = groupsToCheck(chat, {
      action: 'rollback',
      cluster: 'prod',
      service: 'payments',
      tags: { 'harbormaster:chat-operators': 'S0TAGGED01 U0DAVE0001' },
    });
    const snooze = groupsToCheck(chat, {
      action: 'snooze',
      cluster: 'prod',
      service: 'payments',
      tags: undefined,
    });
    // Assess
    expect(onPayments).toStrictEqual(['S0ONCALL01', 'S0TAGGED01']);
    expect(snooze).toStrictEqual([]);
  });

  it('refuses a permission that names nobody, when the configuration is read', () => {
    // Act
    const parsed = v.safeParse(chatSection(), {
      signingSecretParameter: '/x',
      appId: 'A0HARBOR01',
      permissions: [{ actions: ['rollback'] }],
    });
    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.issues?.[0]?.message).toBe('name at least one user or user group');
  });
});
