import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type JsonReport, lineOf, scratch } from '#support/cli-check.ts';
import { fixturePath, TASK_DEFINITION_FIXTURES } from '#support/fixtures.ts';

const { write, check } = scratch('hm-check-inputs-');
const json = (stdout: string) => JSON.parse(stdout) as JsonReport;
const findingsOf = (report: JsonReport, file: string, rule?: string) =>
  report.findings.filter((f) => f.file.endsWith(file) && (rule === undefined || f.rule === rule));

describe('CLI: harbormaster check reads real repositories', () => {
  it('a directory of real documents: every format is recognised, files of other kinds are named once', async () => {
    // Act
    const result = await check(TASK_DEFINITION_FIXTURES, '--format', 'json', '--fail-on', 'none');
    // Assess
    expect(result.code).toBe(0);
    const report = json(result.stdout);
    expect(new Set(report.checked.map((c) => c.format))).toStrictEqual(
      new Set([
        'register-task-definition',
        'describe-task-definition',
        'container-definitions',
        'terraform-plan',
        'cloudformation',
        'sam',
        'cdk',
      ]),
    );
    expect(
      report.notChecked.map((p) => [p.file.split('/').at(-1), p.kind, p.message]),
    ).toStrictEqual([
      [
        'appspec.json',
        'unsupported',
        expect.stringContaining('an appspec (CodeDeploy): not a task definition'),
      ],
      [
        'DERIVED-jq-template.json',
        'invalid',
        expect.stringContaining('unrendered variables ($APP_IMAGE'),
      ],
    ]);
    // The CDK manifest and SOURCES.md are not task definitions and say nothing of one: skipped quietly.
    expect(result.stdout).not.toContain('manifest.json');
  });

  it('one file it cannot read never blanks the others: their findings are reported, and the exit code is 2', async () => {
    // Prepare
    const a = fixturePath('register/ecs-agent-cap-add.json');
    const b = fixturePath('register/ecs-agent-privileged.json');
    // Act
    const result = await check(
      a,
      write('broken.json', '[{ "name": "app",'),
      'missing.json',
      b,
      '--format',
      'json',
    );
    // Assess
    expect(result.code).toBe(2);
    const report = json(result.stdout);
    expect(findingsOf(report, 'ecs-agent-cap-add.json', 'no-added-capabilities')[0]?.status).toBe(
      'non-compliant',
    );
    expect(findingsOf(report, 'ecs-agent-privileged.json', 'not-privileged')[0]?.status).toBe(
      'non-compliant',
    );
    expect(report.notChecked.map((p) => [p.kind, p.message])).toStrictEqual([
      ['invalid', expect.stringContaining('not valid JSON')],
      ['unreadable', 'cannot read it (no such file or directory)'],
    ]);
  });

  it('standard input, named with --stdin-filename; a quoted glob; include and exclude in directories', async () => {
    // Prepare
    const text = readFileSync(fixturePath('register/ecs-agent-privileged.json'), 'utf8');
    // Act
    const stdin = await runWithInput(
      ['-', '--stdin-filename', 'deploy/task.json', '--format', 'json'],
      text,
    );
    const glob = await check(
      `${TASK_DEFINITION_FIXTURES}/register/ecs-agent-*windows*.json`,
      '--format',
      'json',
    );
    const dir = await check(
      TASK_DEFINITION_FIXTURES,
      '--include',
      '*.yaml',
      '--exclude',
      'DERIVED-*',
      '--format',
      'json',
    );
    // Assess
    expect(findingsOf(json(stdin.stdout), 'deploy/task.json', 'not-privileged')[0]).toMatchObject({
      status: 'non-compliant',
      line: lineOf(fixturePath('register/ecs-agent-privileged.json'), '"privileged": true'),
    });
    expect(json(glob.stdout).checked.map((c) => c.file.split('/').at(-1))).toStrictEqual([
      'ecs-agent-awslogs-windows.json',
      'ecs-agent-container-health-windows.json',
      'ecs-agent-datavolume-windows.json',
    ]);
    expect(json(dir.stdout).checked.map((c) => c.file.split('/').at(-1))).toStrictEqual([
      'refarch-website-service-TRIMMED.yaml',
    ]);
  });

  it('CloudFormation YAML with short-form tags: intrinsics are unknown, the service makes the health check apply, lines point into the template', async () => {
    // Prepare
    const file = fixturePath('cloudformation/refarch-website-service-TRIMMED.yaml');
    // Act
    const report = json((await check(file, '--format', 'json')).stdout);
    // Assess
    expect(report.checked).toStrictEqual([
      expect.objectContaining({
        format: 'cloudformation',
        resource: 'TaskDefinition',
        family: 'website-service',
      }),
    ]);
    expect(findingsOf(report, file, 'essential-health-check')[0]).toMatchObject({
      status: 'non-compliant',
      resource: 'TaskDefinition',
      line: lineOf(file, '- Name: website-service'),
    });
    expect(findingsOf(report, file, 'deployment-guard')[0]?.message).toContain(
      'service ${Cluster}/Service',
    );
    expect(findingsOf(report, file, 'image-pinned')[0]?.status).toBe('compliant');
  });

  it('a Terraform plan: rendered container definitions are checked, computed ones are unknown', async () => {
    // Prepare
    const file = fixturePath('plan/DERIVED-ksakilan-plan.json');
    // Act
    const report = json((await check(file, '--format', 'json')).stdout);
    // Assess
    expect(findingsOf(report, file, 'image-pinned')[0]).toMatchObject({
      resource: 'aws_ecs_task_definition.task_definition',
      status: 'non-compliant',
      message: 'container Nginx: image nginx:latest uses the moving tag "latest"',
    });
    expect(
      findingsOf(report, file).filter((f) => f.resource === 'aws_ecs_task_definition.pending'),
    ).toStrictEqual([
      expect.objectContaining({
        status: 'unknown',
        message: expect.stringContaining('known only after apply'),
      }),
    ]);
  });

  it('Terraform container_definitions templates: placeholders are unknown, task-level settings are set elsewhere', async () => {
    // Prepare
    const file = fixturePath('terraform/app-template.json.tpl');
    // Act
    const report = json((await check(file, '--format', 'json')).stdout);
    // Assess
    expect(findingsOf(report, file, 'image-registry')[0]).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining('the image is a placeholder (${repo_url})'),
    });
    expect(findingsOf(report, file, 'awsvpc-network-mode')[0]?.status).toBe('unknown');
    expect(findingsOf(report, file, 'non-root-user')[0]?.status).toBe('non-compliant');
  });

  it('cdk.out: the task definition its service runs, and the rules Windows does not support say why', async () => {
    // Act
    const cdk = json((await check(fixturePath('cdk/cdk.out'), '--format', 'json')).stdout);
    const windows = json(
      (await check(fixturePath('register/ecs-agent-awslogs-windows.json'), '--format', 'json'))
        .stdout,
    );
    // Assess
    expect(cdk.checked.map((c) => [c.format, c.resource])).toStrictEqual([
      ['cdk', 'TaskDef54694570'],
    ]);
    expect(cdk.findings.find((f) => f.rule === 'essential-health-check')?.status).toBe(
      'non-compliant',
    );
    for (const rule of ['read-only-root-filesystem', 'non-root-user']) {
      expect(windows.findings.find((f) => f.rule === rule)).toMatchObject({
        status: 'not-applicable',
        message: expect.stringContaining('Windows containers'),
      });
    }
    expect(windows.findings.find((f) => f.rule === 'essential-health-check')?.message).toContain(
      'not known to run as a service',
    );
  });

  it('a Terraform HCL file named on the command line is reported with what to run instead; --strict makes it an error', async () => {
    // Prepare
    const file = fixturePath('not-task-definitions/task_definition.tf');
    // Act
    const plain = await check(file);
    const strict = await check('--strict', file);
    // Assess
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(
      'not checked: a Terraform HCL file: run terraform show -json on a plan',
    );
    expect(strict.code).toBe(2);
  });
});

/** Runs check with text on standard input. */
const runWithInput = async (args: string[], input: string) => {
  const { spawn } = await import('node:child_process');
  const { join } = await import('node:path');
  const { ROOT } = await import('#infra/build/functions.ts');
  return new Promise<{ code: number; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'apps/cli/main.ts'), 'check', ...args], {
      cwd: scratchDir,
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
    child.stdin.end(input);
  });
};
const scratchDir = scratch('hm-check-stdin-').dir;
