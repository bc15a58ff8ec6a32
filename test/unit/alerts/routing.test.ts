import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { alertsSection, routeIssues } from '#alerts/config.ts';
import { routeAlert } from '#alerts/routing.ts';
import type { Alert } from '#kernel/alerts/model.ts';

const alerts = v.parse(alertsSection(), {
  slack: { webhookUrlParameter: '/harbormaster/slack-webhook' },
  slackApp: { botTokenParameter: '/harbormaster/slack-bot-token', channel: '#deploys' },
  topics: { oncall: 'arn:aws:sns:us-east-1:111122223333:oncall' },
  routes: [
    {
      name: 'payments',
      match: { tags: { team: 'payments' } },
      to: ['slack:#payments-deploys'],
      continue: true,
    },
    { name: 'errors', match: { severity: 'error' }, to: ['sns:oncall'], continue: true },
    { name: 'batch', match: { kinds: ['batch-run'] }, to: ['slack:#batch'] },
    { name: 'staging', match: { clusters: ['staging*'] }, to: ['slack:#staging'] },
  ],
});

const alert = (overrides: Partial<Alert> & { cluster?: string; service?: string } = {}): Alert => ({
  kind: overrides.kind ?? 'deployment-guard',
  severity: overrides.severity ?? 'warning',
  subject: {
    account: '111122223333',
    region: 'us-east-1',
    cluster: overrides.cluster ?? 'prod',
    service: overrides.service ?? 'web',
  },
  occurredAt: '2026-11-21T09:00:00.000Z',
  threadId: 't',
  dedup: { key: 'k', windowSeconds: 60 },
  ...(overrides.channels ? { channels: overrides.channels } : {}),
  ...(overrides.threadOnly ? { threadOnly: true } : {}),
});

const DEFAULTS = ['sns', 'slack', 'slack:#deploys'];

describe('Alert routing', () => {
  it.each([
    ['an alert no route takes goes to the default route', alert(), undefined, DEFAULTS],
    [
      'a payments service (tag team=payments) goes to its team channel',
      alert(),
      { team: 'payments' },
      ['slack:#payments-deploys'],
    ],
    [
      'its errors go to the on-call topic as well',
      alert({ severity: 'error' }),
      { team: 'payments' },
      ['slack:#payments-deploys', 'sns:oncall'],
    ],
    [
      'an error of another team goes to the on-call topic only (a route matched)',
      alert({ severity: 'critical' }),
      { team: 'web' },
      ['sns:oncall'],
    ],
    [
      'a route without continue ends the walk',
      alert({ kind: 'batch-run', cluster: 'staging-2' }),
      undefined,
      ['slack:#batch'],
    ],
    ['a cluster glob matches', alert({ cluster: 'staging-2' }), undefined, ['slack:#staging']],
    [
      'a service names its own channel in its tag, before the routes',
      alert(),
      { 'harbormaster:slack-channel': 'C0WEB00001' },
      ['slack:C0WEB00001'],
    ],
    [
      'a channel tag that is no channel is ignored',
      alert(),
      { 'harbormaster:slack-channel': '<!channel>' },
      DEFAULTS,
    ],
    [
      "an alert's own channels narrow the destinations by family",
      alert({ channels: ['slack'] }),
      undefined,
      ['slack', 'slack:#deploys'],
    ],
    [
      'a step told in a thread (threadOnly) goes only where threads are edited: the Slack app',
      alert({ threadOnly: true }),
      { team: 'payments' },
      ['slack:#payments-deploys'],
    ],
    [
      'nor to the webhook or a topic by default',
      alert({ threadOnly: true }),
      undefined,
      ['slack:#deploys'],
    ],
  ])('%s', (_what, given, tags, expected) => {
    // Act
    const destinations = routeAlert(given, alerts, tags, DEFAULTS);
    // Assess
    expect(destinations).toStrictEqual(expected);
  });

  it('names every destination a route uses that is not configured', () => {
    // Prepare
    const config = v.parse(alertsSection(), {
      sns: { enabled: false },
      routes: [{ to: ['sns', 'sns:pager', 'slack', 'slack:#x', 'webhook:sre'] }],
      defaultRoute: ['sns:oncall'],
    });
    // Act
    const issues = routeIssues(config);
    // Assess
    expect(issues.map((i) => i.path)).toStrictEqual([
      'alerts.routes[0].to[0]',
      'alerts.routes[0].to[1]',
      'alerts.routes[0].to[2]',
      'alerts.routes[0].to[3]',
      'alerts.routes[0].to[4]',
      'alerts.defaultRoute[0]',
    ]);
    expect(issues[1]?.message).toBe('sns:pager: alerts.topics names no topic "pager"');
    expect(issues[4]?.message).toBe('webhook:sre: alerts.webhooks names no webhook "sre"');
  });
});
