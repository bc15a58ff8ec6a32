import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type LocalAws, startLocalAws } from '@harbormaster/local-aws';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serviceAlerts } from '#functions/service-alerts/definition.ts';
import { buildFunctions } from '#infra/build/bundle.ts';
import { ConfigError } from '#kernel/errors.ts';
import { lambdaEntry } from '#kernel/lambda.ts';
import { fixture, withDetail } from '#support/events.ts';
import { runScript } from '#support/run-command.ts';

const context = {
  awsRequestId: 'test-request',
  functionName: 'harbormaster-test-service-alerts',
} as Context;

describe('The built service-alerts artifact, as Lambda loads it', () => {
  let local: LocalAws;
  let bundle: string;

  beforeAll(async () => {
    local = await startLocalAws({ region: 'us-west-2', accountId: '111122223333' });
    const configFile = join(mkdtempSync(join(tmpdir(), 'hm-bundle-')), 'harbormaster.yml');
    writeFileSync(
      configFile,
      'alerts:\n  slack:\n    webhookUrlParameter: /aws/reference/secretsmanager/harbormaster/slack\n',
    );
    const [built] = await buildFunctions({
      configFile,
      outDir: join(tmpdir(), `hm-bundle-${process.pid}`),
      names: ['service-alerts'],
    });
    bundle = built?.bundle ?? '';
    const topicArn = local.sns.createTopic('alerts');
    local.dynamodb.createTable('dedup', { partitionKey: 'pk' });
    local.ssm.putSecret('harbormaster/slack', local.slack.webhookUrl);
    Object.assign(process.env, local.env, {
      ALERT_TOPIC_ARN: topicArn,
      DEDUP_TABLE_NAME: 'dedup',
      HARBORMASTER_STAGE: 'test',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
  });
  afterAll(async () => local.close());

  it('reads the Slack webhook from Secrets Manager at cold start and alerts through SNS and Slack', async () => {
    // Prepare
    const { handler } = (await import(pathToFileURL(bundle).href)) as {
      handler: (e: unknown, c: Context) => Promise<unknown>;
    };
    // Act
    const result = await handler(fixture('service-action-placement-failure-ec2-cpu-docs'), context);
    // Assess
    expect(result).toMatchObject({
      outcome: 'acted',
      actions: [{ type: 'notify', status: 'done', detail: 'sns: sent, slack: sent' }],
    });
    expect(local.calls.list('ssm', 'GetParameter')).toHaveLength(1);
    expect(local.sns.messages()[0]?.subject).toBe(
      '[ERROR] default/servicetest cannot place tasks (RESOURCE:CPU)',
    );
    expect(local.slack.delivered()).toHaveLength(1);
  });

  /** Runs a fresh cold start of the bundle (a new module instance), capturing everything printed. */
  const coldStart = async (tag: string) => {
    const printed: string[] = [];
    const write = (chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(write);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(write);
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    try {
      const module = (await import(`${pathToFileURL(bundle).href}?${tag}`)) as {
        handler: (e: unknown, c: Context) => Promise<unknown>;
      };
      return { handler: module.handler, printed };
    } finally {
      process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
      out.mockRestore();
      err.mockRestore();
    }
  };

  it('reads the webhook from a Secrets Manager key/value secret and never prints it, even when Slack refuses', async () => {
    // Prepare
    local.ssm.putSecret('harbormaster/slack', JSON.stringify({ webhook: local.slack.webhookUrl }));
    const { handler, printed } = await coldStart('key-value');
    local.slack.respondNext({ status: 404 });
    const before = local.slack.posts.length;
    // Act: the first alert is refused (404), the second delivered
    const capture = (chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    // Two events of their own (EventBridge gives each its id; the first test's has the fixture's).
    const refused = await handler(
      {
        ...withDetail('service-action-placement-failure-ec2-cpu-docs', {
          reason: 'RESOURCE:PORTS',
        }),
        id: 'placement-failure-ports',
      },
      context,
    );
    const sent = await handler(
      {
        ...withDetail('service-action-placement-failure-ec2-cpu-docs', {
          reason: 'RESOURCE:MEMORY',
        }),
        id: 'placement-failure-memory',
      },
      context,
    );
    out.mockRestore();
    err.mockRestore();
    // Assess
    expect(refused).toMatchObject({ actions: [{ detail: 'sns: sent, slack: rejected' }] });
    expect(sent).toMatchObject({ actions: [{ detail: 'sns: sent, slack: sent' }] });
    expect(local.slack.posts.length - before).toBe(2);
    expect(printed.join('')).toContain('Alert channel rejected the alert');
    expect(printed.join('')).not.toContain('XXXXXXXXXXXXXXXXXXXXXXXX');
  });

  it('fails the cold start on a malformed value, naming the parameter and never showing the value', async () => {
    // Prepare
    local.ssm.putSecret('harbormaster/slack', `webhook: ${local.slack.webhookUrl}`);
    // Act
    const started = coldStart('malformed');
    // Assess
    await expect(started).rejects.toThrow(
      /alerts\.slack\.webhookUrlParameter: \/aws\/reference\/secretsmanager\/harbormaster\/slack holds a value that is not a webhook URL/,
    );
    await expect(started).rejects.not.toThrow(/XXXXXXXXXXXXXXXXXXXXXXXX|T00000000/);
    local.ssm.putSecret('harbormaster/slack', local.slack.webhookUrl);
  });

  it('returns without throwing on a malformed event', async () => {
    // Prepare
    const { handler } = (await import(pathToFileURL(bundle).href)) as {
      handler: (e: unknown, c: Context) => Promise<unknown>;
    };
    // Act
    const result = await handler(
      { 'detail-type': 'ECS Service Action', source: 'aws.ecs', detail: [] },
      context,
    );
    // Assess
    expect(result).toMatchObject({ outcome: 'invalid', actions: [] });
  });
});

describe('Cold start with a bad configuration', () => {
  it('fails naming the field', async () => {
    // Prepare: what the build embeds, here with a wrong value
    (globalThis as Record<string, unknown>).__HARBORMASTER_CONFIG__ = JSON.stringify({
      raw: { alerts: { dedupWindowMinutes: 'soon' } },
      validated: {},
    });
    // Act + Assess
    await expect(lambdaEntry(serviceAlerts)).rejects.toThrow(ConfigError);
    await expect(lambdaEntry(serviceAlerts)).rejects.toThrow(
      /alerts\.dedupWindowMinutes: expected number, received "soon"/,
    );
  });

  it('is refused earlier, by the build, naming the file and the field', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'hm-config-')), 'harbormaster.yml');
    writeFileSync(file, 'aws:\n  retryMode: legacy\n');
    // Act
    const result = await runScript('infra/build/build.ts', [], {
      env: { HARBORMASTER_CONFIG: file },
    });
    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Invalid configuration (${file}):`);
    expect(result.stderr).toContain(
      'aws.retryMode: expected one of "standard", "adaptive", received "legacy"',
    );
  });
});
