import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '#config/parse.ts';
import { parseEventOf } from '#kernel/events/parse.ts';
import type { TaskDefinitionDocument } from '#policies/documents.ts';
import { checkpointOf, type PolicyEvent } from '#policies/enforcer/checkpoint.ts';
import { decidePolicies } from '#policies/enforcer/decide.ts';
import { registerEvent } from '#support/policy-events.ts';
import { runScript } from '#support/run-command.ts';
import { compliantTaskDefinition, withContainer } from '#support/task-definitions.ts';

const SECRET = ['xoxb', '1234567890', 'abcdefghijkl'].join('-');
const dir = mkdtempSync(join(tmpdir(), 'hm-check-'));
let n = 0;
const write = (name: string, content: unknown): string => {
  n += 1;
  const file = join(dir, `${n}-${name}`);
  writeFileSync(
    file,
    typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
  );
  return file;
};

/** `harbormaster check` run in a directory without harbormaster.yml (so the built-in policies apply). */
const check = (...args: string[]) =>
  runScript('apps/cli/main.ts', ['check', ...args], { cwd: dir });

/** The 1-based line and column where `needle` first appears in a file. */
const positionOf = (file: string, needle: string) => {
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((text) => text.includes(needle));
  return { line: line + 1, column: (lines[line]?.indexOf(needle) ?? 0) + 1 };
};

/** The output of `aws ecs describe-task-definition --include TAGS`. */
const described = (td: TaskDefinitionDocument, tags: { key: string; value: string }[] = []) => ({
  taskDefinition: {
    ...td,
    taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${td.family}:7`,
    revision: 7,
    status: 'ACTIVE',
  },
  tags,
});

const BAD = withContainer({
  image: 'nginx:latest',
  environment: [{ name: 'SLACK', value: SECRET }],
});

const CONFIG = `
policies:
  - name: images
    resource: ecs-task-definition
    mode: enforce
    filters:
      - type: image-pinned
      - type: no-plaintext-secrets
      - type: value
        id: stop-timeout
        key: containerDefinitions[].stopTimeout
        op: absent
  - name: advisory
    resource: ecs-task-definition
    mode: audit
    filters:
      - type: image-registry
`;

describe('CLI: harbormaster check', () => {
  it('fails a describe-task-definition file with every built-in rule when no configuration is given', async () => {
    // Prepare
    const file = write('web.json', described(BAD));
    // Act
    const result = await check(file);
    // Assess
    expect(result.code).toBe(1);
    const image = positionOf(file, '"image": "nginx:latest"');
    expect(result.stdout).toContain(
      `${file} (web, describe-task-definition): 3 failing finding(s) of built-in`,
    );
    expect(result.stdout).toContain(
      `\u2717 image-pinned [error, built-in enforce] ${file}:${image.line}:${image.column}  containerDefinitions[0].image  container app`,
    );
    expect(result.stdout).toContain('comes from docker.io, which is not an allowed registry');
    expect(result.stdout).toContain(
      'the value of environment variable SLACK looks like a Slack token',
    );
    expect(result.stdout).toContain('3 failing, 3 failing the build (--fail-on error)');
  });

  it('passes a compliant register-task-definition input and exits 0', async () => {
    // Prepare
    const file = write('ok.json', compliantTaskDefinition());
    // Act
    const result = await check(file);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('0 failing, 0 failing the build (--fail-on error)');
  });

  it('prints one JSON object whose failing findings name the rule, status, message, container and path', async () => {
    // Prepare
    const file = write('web.json', described(BAD));
    const config = write('harbormaster.yml', CONFIG);
    // Act
    const result = await check('--config', config, '--format', 'json', file);
    // Assess
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as {
      findings: Record<string, unknown>[];
      summary: unknown;
    };
    const failing = output.findings.filter((f) => f.status === 'non-compliant');
    expect(failing).toStrictEqual([
      {
        file,
        policy: 'images',
        mode: 'enforce',
        rule: 'image-pinned',
        status: 'non-compliant',
        severity: 'error',
        message: 'container app: image nginx:latest uses the moving tag "latest"',
        container: 'app',
        path: 'containerDefinitions[0].image',
        ...positionOf(file, '"image": "nginx:latest"'),
      },
      expect.objectContaining({
        rule: 'no-plaintext-secrets',
        container: 'app',
        path: 'containerDefinitions[0].environment[0].value',
      }),
      expect.objectContaining({
        rule: 'stop-timeout',
        path: 'containerDefinitions[0].stopTimeout',
        line: positionOf(file, '"containerDefinitions"').line + 1,
      }),
      expect.objectContaining({ policy: 'advisory', mode: 'audit', rule: 'image-registry' }),
    ]);
    expect(output.summary).toStrictEqual({
      files: 1,
      checked: 1,
      notChecked: 0,
      failing: 4,
      // The value filter has no severity of its own: warning, under the default --fail-on error.
      blocking: 2,
      unknown: 0,
      suppressed: 0,
      baselined: 0,
      exempt: 0,
      failOn: 'error',
      exitCode: 1,
    });
  });

  it('writes SARIF 2.1.0 that GitHub code scanning reads: rules with help, results at their lines', async () => {
    // Prepare
    const file = write('web.json', described(BAD));
    // Act
    const result = await check('--format', 'sarif', file);
    // Assess
    const sarif = JSON.parse(result.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    const [run] = sarif.runs;
    expect(run.tool.driver.name).toBe('Harbormaster');
    const pinned = run.tool.driver.rules.find((r: { id: string }) => r.id === 'image-pinned');
    expect(pinned).toMatchObject({
      name: 'ImagePinned',
      shortDescription: { text: expect.stringContaining('pinned') },
      fullDescription: { text: expect.any(String) },
      help: { text: expect.any(String), markdown: expect.stringContaining('**How to fix:**') },
      defaultConfiguration: { level: 'error' },
      properties: { tags: expect.arrayContaining(['security']), 'security-severity': '7.5' },
    });
    expect(
      run.tool.driver.rules.find((r: { id: string }) => r.id === 'non-root-user').properties.tags,
    ).toContain('CT.ECS.PR.3');
    expect(run.results).toHaveLength(3);
    expect(run.results[0]).toMatchObject({
      ruleId: 'image-pinned',
      ruleIndex: run.tool.driver.rules.indexOf(pinned),
      level: 'error',
      message: { text: expect.stringContaining('uses the moving tag "latest"') },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: relative(dir, file), uriBaseId: '%SRCROOT%' },
            region: (({ line, column }) => ({ startLine: line, startColumn: column }))(
              positionOf(file, '"image": "nginx:latest"'),
            ),
          },
          logicalLocations: [{ fullyQualifiedName: 'containerDefinitions[0].image' }],
        },
      ],
    });
  });

  it('never prints a secret\u2019s value, in any format', async () => {
    // Prepare
    const file = write('web.json', described(BAD));
    // Act
    const outputs = await Promise.all(
      ['text', 'json', 'sarif'].map((format) => check('--format', format, file)),
    );
    // Assess
    for (const output of outputs) {
      expect(output.stdout + output.stderr).toContain('SLACK');
      expect(output.stdout + output.stderr).not.toContain(SECRET);
    }
  });

  it('exits 0 when only audit-mode policies fail, or the failures are exempt', async () => {
    // Prepare
    const advisory = write(
      'advisory.yml',
      'policies:\n  - name: advisory\n    resource: ecs-task-definition\n    mode: audit\n    filters: [{ type: image-pinned }]\n',
    );
    const exempted = write(
      'web.json',
      described(withContainer({ image: 'nginx:latest' }), [
        { key: 'harbormaster:exempt:image-pinned', value: '2099-01-01 vendor image' },
      ]),
    );
    const config = write(
      'enforce.yml',
      'policies:\n  - name: p\n    resource: ecs-task-definition\n    mode: enforce\n    filters: [{ type: image-pinned }]\n',
    );
    // Act
    const audit = await check('--config', advisory, write('web.json', described(BAD)));
    const exempt = await check('--config', config, exempted);
    // Assess
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('! image-pinned [error, advisory audit]');
    expect(exempt.code).toBe(0);
    expect(exempt.stdout).toContain('~ image-pinned');
    expect(exempt.stdout).toContain('exempt until 2099-01-01: vendor image');
  });

  it('reports a file it cannot use on its own: exit 2 only when unreadable, or with --strict', async () => {
    // Prepare
    const other = write('service.json', { services: [] });
    const broken = write('broken.json', '{ "family": ');
    const badConfig = write(
      'bad.yml',
      'policies:\n  - name: p\n    resource: ecs-task-definition\n    filters: [{ type: image-pined }]\n',
    );
    // Act
    const results = await Promise.all([
      check(join(dir, 'missing.json')),
      check(other),
      check('--strict', broken),
      check('--config', badConfig, other),
      check('--format', 'xml', other),
    ]);
    // Assess
    expect(results.map((r) => r.code)).toStrictEqual([2, 0, 2, 2, 2]);
    expect(results[0]?.stdout).toContain(
      'missing.json: not checked: cannot read it (no such file or directory)',
    );
    expect(results[1]?.stdout).toContain(
      'service.json: not checked: JSON or YAML of another shape',
    );
    expect(results[2]?.stdout).toContain('broken.json: not checked: not valid JSON');
    expect(results[3]?.stderr).toContain('policies[0].filters[0].type: unknown filter type');
  });

  it('gives the same findings as the Lambda for the same definition and configuration', async () => {
    // Prepare
    const config = parseConfig(
      {
        policies: [
          {
            name: 'images',
            resource: 'ecs-task-definition',
            mode: 'enforce',
            filters: [
              { type: 'image-pinned' },
              { type: 'no-plaintext-secrets' },
              { type: 'non-root-user' },
            ],
          },
        ],
      },
      'test',
    );
    const file = write('register.json', BAD);
    const configFile = write('config.json', { policies: config.policies });
    const event = parseEventOf(registerEvent(BAD), ['api-call']) as PolicyEvent;
    const checkpoint = checkpointOf(event, config);
    if (checkpoint.kind !== 'register' || !checkpoint.definition) throw new Error('no definition');
    // Act
    const cli = JSON.parse(
      (await check('--config', configFile, '--format', 'json', file)).stdout,
    ) as { findings: Record<string, unknown>[] };
    const lambda = decidePolicies(
      event,
      {
        checkpoint,
        revision: {
          arn: checkpoint.taskDefinitionArn,
          definition: checkpoint.definition,
          tags: {},
          status: 'ACTIVE',
        },
        service: undefined,
        serviceTags: {},
        runningTaskDefinition: undefined,
        rollbackCandidates: [],
      },
      config,
      new Date(),
    );
    // Assess
    const report = lambda.actions.find((a) => a.type === 'report-findings');
    if (report?.type !== 'report-findings') throw new Error('no report');
    const pick = (f: Record<string, unknown>) => [f.rule, f.status, f.message, f.container, f.path];
    expect(
      report.policies[0]?.findings.map((f) => pick(f as unknown as Record<string, unknown>)),
    ).toStrictEqual(
      cli.findings
        .filter((f) => f.status !== 'compliant' && f.status !== 'not-applicable')
        .map(pick),
    );
    expect(report.policies[0]?.findings).toHaveLength(2);
  });
});
