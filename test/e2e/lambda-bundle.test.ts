import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type LocalAws, startLocalAws } from '@harbormaster/local-aws';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAlerts } from '#functions/service-alerts/definition.ts';
import { buildFunctions } from '#infra/build/bundle.ts';
import { ConfigError } from '#kernel/errors.ts';
import { lambdaEntry } from '#kernel/lambda.ts';
import { fixture } from '#support/events.ts';
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
