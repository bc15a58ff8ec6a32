import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../shared/config/load-file.ts';
import { parseConfig } from '../../../shared/config/parse.ts';
import { ConfigError } from '../../../shared/core/errors.ts';

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
        'aws.maxAttempts: Too small: expected number to be >=1',
        'aws.retryMode: Invalid option: expected one of "standard"|"adaptive"',
      ],
    ],
    [
      { alerts: { sns: { minimumSeverity: 'loud' } } },
      [
        'alerts.sns.minimumSeverity: Invalid option: expected one of "info"|"warning"|"error"|"critical"',
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
        'deploymentGuard.failedTasks.count: Too small: expected number to be >=1',
        'deploymentGuard.deadline.mode: Invalid option: expected one of "rollback"|"notify"|"off"',
        'deploymentGuard.services[0].cluster: expected an ECS name (letters, digits, - and _) or *',
        'deploymentGuard.services[0].alarms.alreadyInAlarm: Invalid option: expected one of "report"|"act"',
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
      `Invalid configuration (${file}):\n  - alerts.dedupWindowMinutes: Too small: expected number to be >=0`,
    );
  });
});
