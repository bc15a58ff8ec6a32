import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '#config/load-file.ts';
import { parseConfig } from '#config/parse.ts';
import { ConfigError } from '#kernel/errors.ts';

const writeConfig = (text: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'hm-config-')), 'harbormaster.yml');
  writeFileSync(file, text);
  return file;
};

const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a ConfigError');
};

describe('Function: parseConfig', () => {
  it('fills every default from an empty file', () => {
    // Act
    const config = parseConfig(undefined, 'test');
    // Assess
    expect(config).toMatchObject({
      dryRun: false,
      aws: { maxAttempts: 4, retryMode: 'standard' },
      alerts: { dedupWindowMinutes: 60 },
    });
    expect(Object.isFrozen(config.alerts)).toBe(true);
  });

  it.each([
    [{ dryrun: true }, ['dryrun: unknown field']],
    [
      { alerts: { slack: { webhookUrlParameter: 'https://hooks.slack.com/services/T/B/X' } } },
      [
        'alerts.slack.webhookUrlParameter: expected an SSM parameter name such as /harbormaster/slack-webhook',
      ],
    ],
    [
      { aws: { maxAttempts: 0, retryMode: 'legacy' } },
      [
        'aws.maxAttempts: too small: expected >=1, received 0',
        'aws.retryMode: expected one of "standard", "adaptive", received "legacy"',
      ],
    ],
    [
      { alerts: { sns: { minimumSeverity: 'loud' } } },
      [
        'alerts.sns.minimumSeverity: expected one of "info", "warning", "error", "critical", received "loud"',
      ],
    ],
    [
      {
        deploymentGuard: {
          failedTasks: { count: 0 },
          deadline: { mode: 'sometimes' },
          services: [{ cluster: 'prod/eu', service: 'web', alarms: { alreadyInAlarm: 'ignore' } }],
        },
      },
      [
        'deploymentGuard.failedTasks.count: too small: expected >=1, received 0',
        'deploymentGuard.deadline.mode: expected one of "rollback", "notify", "off", received "sometimes"',
        'deploymentGuard.services[0].cluster: expected an ECS name (letters, digits, - and _) or *',
        'deploymentGuard.services[0].alarms.alreadyInAlarm: expected one of "report", "act", received "ignore"',
      ],
    ],
  ])('names every bad field in %j', (input, expected) => {
    // Assess
    expect(problemsOf(() => parseConfig(input, 'test'))).toStrictEqual(expected);
  });
});

describe('Function: loadConfigFile', () => {
  it('loads the shipped harbormaster.yml', () => {
    // Assess
    expect(loadConfigFile('harbormaster.yml').alerts.sns.enabled).toBe(true);
  });

  it('reports a YAML syntax error with its line', () => {
    // Prepare
    const file = writeConfig('alerts:\n  sns: [unclosed\n');
    // Assess
    expect(problemsOf(() => loadConfigFile(file))[0]).toMatch(/^line \d+: /);
  });

  it('names the file and the field in its message', () => {
    // Prepare
    const file = writeConfig('alerts:\n  dedupWindowMinutes: -5\n');
    // Act
    const message = (() => {
      try {
        loadConfigFile(file);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    // Assess
    expect(message).toBe(
      `Invalid configuration (${file}):\n  - alerts.dedupWindowMinutes: too small: expected >=0, received -5`,
    );
  });
});
