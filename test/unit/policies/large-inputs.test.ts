import { describe, expect, it } from 'vitest';
import { parseConfig } from '#config/parse.ts';
import { evaluatePolicy } from '#policies/engine.ts';
import { RULES } from '#policies/rules/index.ts';
import { isCredentialName } from '#policies/secret-shapes.ts';
import { registerFixture } from '#support/fixtures.ts';

const KB256 = 256 * 1024;
const fill = (unit: string) => unit.repeat(Math.ceil(KB256 / unit.length)).slice(0, KB256);
const ACCESS_KEY_ID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');

// The GitHub action's integration-test task definition with one container's text fields replaced.
const withText = (text: string) => {
  const td = registerFixture('deploy-action-task-definition.json');
  const [container] = td.containerDefinitions ?? [];
  return {
    ...td,
    containerDefinitions: [
      {
        ...container,
        command: [text],
        entryPoint: [text],
        user: text,
        environment: [{ name: 'BIG', value: text }],
        dockerLabels: { big: text },
        healthCheck: { command: ['CMD-SHELL', text] },
      },
    ],
  };
};

const policy = (filters: unknown[]) => {
  const [p] = parseConfig(
    { policies: [{ name: 'p', resource: 'ecs-task-definition', filters }] },
    'test',
  ).policies;
  if (!p) throw new Error('no policy');
  return p;
};
const CONTEXT = {
  now: new Date('2026-12-01T00:00:00Z'),
  exemptionTag: 'harbormaster:exempt',
  tags: {},
};

describe('Behaviour on 256 KB inputs (timings are in npm run bench)', () => {
  it.each([['a'], ['eyJ-'], ['a:'], ['ghp_'], ['PASSWORD'], ['$A']])(
    'every rule gives a verdict, none an error, on fields of %j repeated to 256 KB',
    (unit) => {
      // Act
      const findings = evaluatePolicy(
        policy(
          Object.values(RULES)
            .filter((r) => r.targets.includes('taskDefinition'))
            .map((r) => ({ type: r.id })),
        ),
        { taskDefinition: withText(fill(unit)) },
        CONTEXT,
      ).findings;
      // Assess
      expect(findings.filter((f) => f.status === 'error')).toStrictEqual([]);
      expect(findings.find((f) => f.rule === 'no-plaintext-secrets')?.status).toBe('compliant');
    },
  );

  it('a credential at the end of 256 KB of text is found, and its value is not in the finding', () => {
    // Act
    const findings = evaluatePolicy(
      policy([{ type: 'no-plaintext-secrets' }]),
      { taskDefinition: withText(`${fill('a-')} ${ACCESS_KEY_ID}`) },
      CONTEXT,
    ).findings;
    // Assess
    expect(findings.map((f) => f.message)).toContain(
      'container sample-app: entryPoint[0] holds an AWS access key ID',
    );
    expect(JSON.stringify(findings)).not.toContain(ACCESS_KEY_ID);
  });

  it('a value filter regex that backtracks catastrophically in V8 answers on 256 KB (RE2)', () => {
    // Prepare
    const check = policy([
      {
        type: 'value',
        id: 'user-shape',
        key: 'containerDefinitions[].user',
        op: 'regex',
        value: '(a+)+$',
      },
    ]);
    // Act
    const matching = evaluatePolicy(
      check,
      { taskDefinition: withText(fill('a')) },
      CONTEXT,
    ).findings;
    const notMatching = evaluatePolicy(
      check,
      { taskDefinition: withText(`${fill('a')}!`) },
      CONTEXT,
    ).findings;
    // Assess
    expect(matching.map((f) => f.status)).toStrictEqual(['non-compliant']);
    expect(notMatching.map((f) => f.status)).toStrictEqual(['compliant']);
  });

  it('names: the last word decides, read from the end of a 256 KB name', () => {
    // Assess
    expect(isCredentialName(`${fill('A_')}_PASSWORD`)).toBe(true);
    expect(isCredentialName(`${fill('A_')}_PUBLIC_KEY`)).toBe(false);
    expect(isCredentialName(fill('A'))).toBe(false);
  });
});
