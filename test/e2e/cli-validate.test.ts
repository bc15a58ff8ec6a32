import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { harbormaster } from '#support/run-command.ts';

const write = (text: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'hm-cli-')), 'harbormaster.yml');
  writeFileSync(file, text);
  return file;
};

describe('CLI: harbormaster validate', () => {
  it('accepts the shipped configuration and exits 0', async () => {
    // Act
    const result = await harbormaster('validate', 'harbormaster.yml');
    // Assess
    expect(result).toMatchObject({ code: 0, stdout: 'harbormaster.yml: valid\n' });
  });

  it('names every bad field and exits 1', async () => {
    // Prepare
    const file = write(
      'alerts:\n  dedupWindowMinutes: -1\n  slack: { webhookUrlParameter: "https://hooks.slack.com/x" }\ndryrun: true\n',
    );
    // Act
    const result = await harbormaster('validate', '--json', file);
    // Assess
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toStrictEqual({
      results: [
        {
          file,
          valid: false,
          problems: [
            {
              path: 'alerts.dedupWindowMinutes',
              message: 'too small: expected >=0, received -1',
              line: 2,
            },
            {
              path: 'alerts.slack.webhookUrlParameter',
              message: 'expected an SSM parameter name such as /harbormaster/slack-webhook',
              line: 3,
            },
            { path: 'dryrun', message: 'unknown field; did you mean dryRun?', line: 4 },
          ],
        },
      ],
    });
  });

  it('reports field and cross-field problems in one run, with the nearest key and the line of each', async () => {
    // Prepare
    const file = write(
      [
        'deploymentGaurd:',
        '  enabled: true',
        'policies:',
        '  - name: images',
        '    resource: ecs-task-definition',
        '    scope: { clusters: [prod] }',
        '    filters: [{ type: image-pinned, requireDigst: true }]',
        '  - name: images',
        '    resource: ecs-task-definition',
        '    filters: [{ type: image-pinned }]',
        '',
      ].join('\n'),
    );
    // Act
    const result = await harbormaster('validate', file);
    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toStrictEqual([
      `${file}: 4 problem(s)`,
      '  line 1: deploymentGaurd: unknown field; did you mean deploymentGuard?',
      '  line 6: policies[0].scope.clusters: a task definition belongs to no cluster',
      '  line 7: policies[0].filters[0].requireDigst: unknown field; did you mean requireDigest?',
      '  line 8: policies[1].name: another policy is already named "images"',
      '',
    ]);
  });

  it('exits 2 when a file cannot be read, as --help says', async () => {
    // Act
    const result = await harbormaster('validate', join(tmpdir(), 'no-such-harbormaster.yml'));
    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('cannot read the file');
  });

  it('exits 2 on a usage error and 0 on --help', async () => {
    // Assess
    expect((await harbormaster('validate')).code).toBe(2);
    expect((await harbormaster('no-such-command')).code).toBe(2);
    expect((await harbormaster('--help')).code).toBe(0);
    expect((await harbormaster('validate', '--help')).stdout).toContain('every bad field is named');
  });

  it.each(['validate', 'check', 'replay', 'run-job'])(
    'documents %s in --help: its arguments, options and exit codes',
    async (command) => {
      // Act
      const help = await harbormaster(command, '--help');
      const overview = await harbormaster('--help');
      // Assess
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: harbormaster ${command} \\[options\\] <`));
      expect(help.stdout).toMatch(
        /\nExit codes:\n {2}0 {2}.+\n( {2}1 {2}.+\n)? {2}2 {2}bad arguments/,
      );
      expect(overview.stdout).toContain(`\n  ${command} [options] <`);
    },
  );
});
