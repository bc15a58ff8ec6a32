import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import draft04 from 'ajv-draft-04';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { scratch } from '#support/cli-check.ts';
import { fixturePath, TASK_DEFINITION_FIXTURES } from '#support/fixtures.ts';
import { withContainer } from '#support/task-definitions.ts';

const { dir, write, check } = scratch('hm-check-outputs-');
const SECRET = ['xoxb', '1234567890', 'abcdefghijkl'].join('-');

// The SARIF 2.1.0 schema, vendored with its provenance (test/fixtures/sarif/SOURCES.md).
const schema = JSON.parse(
  readFileSync(fixturePath('../sarif/sarif-schema-2.1.0-rtm.5.json'), 'utf8'),
);
// The schema is JSON Schema draft-04, which ajv-draft-04 implements; its language pattern
// ("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$") is valid only without the u flag.
const ajv = new draft04.default({ strict: false, allErrors: true, unicodeRegExp: false });
formats.default(ajv); // uri, date-time: the formats the schema names
const validateSarif = ajv.compile(schema);

describe('CLI: harbormaster check outputs', () => {
  it('SARIF is valid SARIF 2.1.0 with rule metadata, suppressions, baseline states and files not checked', async () => {
    // Prepare
    const suppressions = write(
      'suppressions.yml',
      'suppressions:\n  - rule: not-privileged\n    reason: agent functional test\n    expires: 2099-12-31\n',
    );
    const baseline = write('baseline.json', {
      version: 1,
      findings: [{ rule: 'non-root-user', file: 'x.json', resource: null, container: null }],
    });
    // Act
    const result = await check(
      TASK_DEFINITION_FIXTURES,
      '--format',
      'sarif',
      '--suppressions',
      suppressions,
      '--baseline',
      baseline,
    );
    // Assess
    const sarif = JSON.parse(result.stdout);
    expect(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
    // The validator rejects what SARIF 2.1.0 does not allow (a level it does not define).
    expect(
      validateSarif({
        ...sarif,
        runs: [{ ...sarif.runs[0], results: [{ ...sarif.runs[0].results[0], level: 'fatal' }] }],
      }),
    ).toBe(false);
    const [run] = sarif.runs;
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(
      expect.arrayContaining(['no-added-capabilities', 'task-definition-valid']),
    );
    expect(
      run.results.find((r: { ruleId: string }) => r.ruleId === 'not-privileged').suppressions,
    ).toStrictEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'agent functional test (until 2099-12-31)',
      },
    ]);
    expect(
      new Set(run.results.map((r: { baselineState?: string }) => r.baselineState)),
    ).toStrictEqual(new Set(['new', undefined]));
    expect(run.results.some((r: { kind: string }) => r.kind === 'review')).toBe(true);
    expect(run.invocations[0].toolExecutionNotifications).toHaveLength(2);
  });

  it('SARIF of a run with an unreadable file is still valid and holds the other files\u2019 results', async () => {
    // Act
    const result = await check(
      fixturePath('register/ecs-agent-cap-add.json'),
      'missing.json',
      '--format',
      'sarif',
    );
    // Assess
    expect(result.code).toBe(2);
    const sarif = JSON.parse(result.stdout);
    expect(validateSarif(sarif)).toBe(true);
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
  });

  it('JUnit XML: a suite per task definition, a failure per finding that fails the build, escaped text', async () => {
    // Act
    const result = await check(
      fixturePath('register/ecs-agent-cap-add.json'),
      fixturePath('register/ecs-agent-privileged.json'),
      '--format',
      'junit',
    );
    // Assess
    const xml = result.stdout;
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="harbormaster check">',
      ),
    ).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    const declared = [...xml.matchAll(/failures="(\d+)"/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(xml.match(/<failure /g)).toHaveLength(declared);
    expect(xml).toContain('uses the moving tag &quot;latest&quot;');
    expect(xml).not.toMatch(/message="[^"]*"[^ >/]/);
  });

  it('GitHub annotations: an error per failure at its line, workflow-command escaping', async () => {
    // Prepare
    const file = fixturePath('register/ecs-agent-cap-add.json');
    // Act
    const result = await check(file, '--format', 'github');
    // Assess
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContain(
      `::error file=${relative(dir, file)},line=10,col=17,title=no-added-capabilities (error)::container exit adds the Linux capability SYS_ADMIN`,
    );
    expect(lines.every((line) => /^::(error|warning|notice) file=[^,]+,/.test(line))).toBe(true);
  });

  it('never prints a secret\u2019s value in JUnit or GitHub annotations either', async () => {
    // Prepare
    const file = write(
      'web.json',
      withContainer({ environment: [{ name: 'SLACK', value: SECRET }] }),
    );
    // Act
    const outputs = await Promise.all(
      ['junit', 'github'].map((format) => check('--format', format, file)),
    );
    // Assess
    for (const output of outputs) {
      expect(output.stdout).toContain('SLACK');
      expect(output.stdout + output.stderr).not.toContain(SECRET);
    }
  });
});
