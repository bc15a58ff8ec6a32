import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '#policies/rules/index.ts';
import { harbormaster } from '#support/run-command.ts';
import packageJson from '../../package.json' with { type: 'json' };

describe('CLI: harbormaster rules and --version', () => {
  it('lists every rule with id, severity, what it checks, why, how to fix, controls and options', async () => {
    // Act
    const [asJson, asText] = await Promise.all([
      harbormaster('rules', '--json'),
      harbormaster('rules'),
    ]);
    // Assess
    expect(asJson.code).toBe(0);
    const { rules } = JSON.parse(asJson.stdout) as { rules: Record<string, unknown>[] };
    expect(rules.map((r) => r.id)).toStrictEqual(RULE_IDS);
    expect(rules.find((r) => r.id === 'image-pinned')).toStrictEqual({
      id: 'image-pinned',
      severity: 'error',
      checks: expect.stringContaining('pinned'),
      why: expect.stringContaining('digest'),
      fix: expect.stringContaining('repo@sha256'),
      appliesTo: 'task definitions with container definitions',
      reads: ['taskDefinition'],
      controls: [],
      options: [
        { name: 'requireDigest', type: 'boolean', default: false },
        { name: 'movingTags', type: 'list of string', default: [] },
      ],
    });
    expect(rules.find((r) => r.id === 'no-plaintext-secrets')?.controls).toStrictEqual([
      'CT.ECS.PR.12',
    ]);
    expect(asText.stdout).toContain('no-docker-socket [critical]');
    expect(asText.stdout).toContain('  option allow (list of string, default [])');
  });

  it('--version prints the package version', async () => {
    // Act
    const result = await harbormaster('--version');
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(packageJson.version);
  });
});
