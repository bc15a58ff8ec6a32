import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type JsonReport, scratch } from '#support/cli-check.ts';
import { fixturePath } from '#support/fixtures.ts';

const { dir, write, check } = scratch('hm-check-triage-');
const json = (stdout: string) => JSON.parse(stdout) as JsonReport;
const real = (name: string) => readFileSync(fixturePath(`register/${name}`), 'utf8');

// The GitHub action's integration-test task definition: only warning-level rules fail on it
// (log configuration, read-only root filesystem, task role) besides non-root-user (error).
const ONLY_WARNINGS = `policies:
  - name: hygiene
    resource: ecs-task-definition
    mode: enforce
    filters: [{ type: log-configuration }, { type: read-only-root-filesystem }]
`;
const AUDIT = `policies:
  - name: baseline
    resource: ecs-task-definition
    mode: audit
    filters: [{ type: image-pinned }, { type: not-privileged }]
`;

describe('CLI: harbormaster check thresholds, baselines and suppressions', () => {
  it('--fail-on: warnings fail only at --fail-on warning; none reports only; the default is error', async () => {
    // Prepare
    const config = write('warnings.yml', ONLY_WARNINGS);
    const file = fixturePath('register/deploy-action-task-definition.json');
    // Act
    const codes = await Promise.all([
      check('--config', config, file),
      check('--config', config, '--fail-on', 'warning', file),
      check('--fail-on', 'none', file),
    ]);
    // Assess
    expect(codes.map((r) => r.code)).toStrictEqual([0, 1, 0]);
    expect(codes[0]?.stdout).toContain('2 failing, 0 failing the build (--fail-on error)');
  });

  it('--enforce gates on audit-mode policies, which otherwise only report', async () => {
    // Prepare
    const config = write('audit.yml', AUDIT);
    const file = fixturePath('register/ecs-agent-privileged.json');
    // Act
    const audit = await check('--config', config, file);
    const enforced = await check('--config', config, '--enforce', file);
    // Assess
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('! not-privileged [critical, baseline audit]');
    expect(enforced.code).toBe(1);
    expect(enforced.stdout).toContain('\u2717 not-privileged [critical, baseline audit]');
  });

  it('a baseline records today\u2019s failures by rule, file, resource and container; a new one fails', async () => {
    // Prepare: the ECS agent's privileged test task; later a second container is added to it.
    const file = write('task.json', real('ecs-agent-privileged.json'));
    const baseline = `${dir}/baseline.json`;
    // Act
    const written = await check(file, '--baseline', baseline, '--write-baseline');
    const again = await check(file, '--baseline', baseline, '--format', 'json');
    const td = JSON.parse(real('ecs-agent-privileged.json'));
    td.containerDefinitions.push({ ...td.containerDefinitions[0], name: 'sidecar' });
    write('task.json', td);
    const changed = await check(file, '--baseline', baseline, '--format', 'json');
    // Assess
    expect(written.code).toBe(0);
    expect(written.stderr).toMatch(/recorded \d+ failing finding\(s\)/);
    expect(JSON.parse(readFileSync(baseline, 'utf8')).findings).toContainEqual({
      rule: 'not-privileged',
      file: 'task.json',
      resource: null,
      container: 'exit',
    });
    expect(again.code).toBe(0);
    expect(json(again.stdout).summary).toMatchObject({ failing: 0, blocking: 0 });
    expect(changed.code).toBe(1);
    const failing = json(changed.stdout).findings.filter(
      (f) => f.status === 'non-compliant' && !f.triage,
    );
    expect(new Set(failing.map((f) => f.container))).toStrictEqual(new Set(['sidecar']));
  });

  it('suppressions need a reason and an expiry; an expired one no longer applies and says so', async () => {
    // Prepare
    const file = fixturePath('register/ecs-agent-privileged.json');
    const live = write(
      'suppressions.yml',
      'suppressions:\n  - rule: "*"\n    file: "**/ecs-agent-privileged.json"\n    container: exit\n    reason: agent functional test, never deployed\n    expires: 2099-12-31\n',
    );
    const expired = write(
      'expired.yml',
      'suppressions:\n  - rule: not-privileged\n    reason: vendor image\n    expires: 2020-01-01\n',
    );
    const invalid = write(
      'invalid.yml',
      'suppressions:\n  - rule: not-privileged\n    expires: 2099-01-01\n',
    );
    // Act
    const suppressed = await check(file, '--suppressions', live, '--format', 'json');
    const lapsed = await check(file, '--suppressions', expired, '--format', 'json');
    const bad = await check(file, '--suppressions', invalid);
    // Assess
    expect(suppressed.code).toBe(0);
    expect(
      json(suppressed.stdout).findings.find((f) => f.rule === 'not-privileged')?.triage,
    ).toStrictEqual({
      kind: 'suppressed',
      reason: 'agent functional test, never deployed',
      expires: '2099-12-31',
    });
    expect(lapsed.code).toBe(1);
    expect(json(lapsed.stdout).findings.find((f) => f.rule === 'not-privileged')?.note).toBe(
      'suppression expired on 2020-01-01: vendor image',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid.yml: not a suppressions file (suppressions.0.reason:');
  });

  it('--only-failures leaves out compliant and not-applicable findings', async () => {
    // Act
    const report = json(
      (
        await check(
          fixturePath('register/ecs-agent-cap-add.json'),
          '--only-failures',
          '--format',
          'json',
        )
      ).stdout,
    );
    // Assess
    expect(new Set(report.findings.map((f) => f.status))).toStrictEqual(new Set(['non-compliant']));
  });
});
