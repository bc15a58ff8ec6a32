import { describe, expect, it } from 'vitest';
import { parseConfig } from '#config/parse.ts';
import { ConfigError } from '#kernel/errors.ts';

const problemsOf = (data: unknown): string[] => {
  try {
    parseConfig(data, 'test');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a ConfigError');
};

const policy = (fields: Record<string, unknown>) => ({
  policies: [
    { name: 'p', resource: 'ecs-task-definition', filters: [{ type: 'image-pinned' }], ...fields },
  ],
});

describe('Configuration: policies', () => {
  it('fills defaults: notify mode, empty scope, rule options', () => {
    // Act
    const config = parseConfig(policy({}), 'test');
    // Assess
    expect(config.policies).toStrictEqual([
      {
        name: 'p',
        resource: 'ecs-task-definition',
        mode: 'notify',
        scope: {},
        filters: [{ type: 'image-pinned', requireDigest: false, movingTags: [] }],
        actions: [],
      },
    ]);
    expect(config.enforcement).toStrictEqual({
      exemptionTag: 'harbormaster:exempt',
      ownPrincipals: ['arn:aws:sts::*:assumed-role/*/harbormaster-*'],
      taskDefinitionCache: { maxEntries: 500, tagsTtlSeconds: 300 },
    });
  });

  it.each([
    [
      policy({ filters: [{ type: 'image-pinnned' }] }),
      'policies[0].filters[0].type: unknown filter type: expected a built-in rule (task-definition-valid, image-pinned,',
    ],
    [
      policy({ filters: [{ type: 'image-pinned', requireDigets: true }] }),
      'policies[0].filters[0].requireDigets: unknown field',
    ],
    [
      policy({ filters: [{ type: 'value', id: 'v', key: 'cpu', op: 'bigger', value: 1 }] }),
      'policies[0].filters[0].op: expected one of "eq", "ne", "in", "not-in", "regex", "glob", "gt", "lt", "present", "absent", received "bigger"',
    ],
    [
      policy({ filters: [{ type: 'value', id: 'v', key: 'cpu', op: 'gt', value: 'lots' }] }),
      'policies[0].filters[0].value: "gt" needs a number',
    ],
    [
      policy({ filters: [{ type: 'value', id: 'v', key: 'cpu', op: 'absent', value: 1 }] }),
      'policies[0].filters[0].value: "absent" takes no value',
    ],
    [
      policy({
        filters: [
          { type: 'value', id: 'v', key: 'containerDefinitions[].x', op: 'regex', value: '(' },
        ],
      }),
      'policies[0].filters[0].value: not a valid RE2 regular expression',
    ],
    [
      policy({ filters: [{ type: 'value', id: 'v', key: 'a..b', op: 'present' }] }),
      'policies[0].filters[0].key: expected a key such as containerDefinitions[].image',
    ],
    [
      policy({ filters: [{ type: 'value', id: 'image-pinned', key: 'cpu', op: 'present' }] }),
      'policies[0].filters[0].id: "image-pinned" is a built-in rule; give the value filter another id',
    ],
    [
      policy({ mode: 'loud' }),
      'policies[0].mode: expected one of "audit", "notify", "enforce", received "loud"',
    ],
    [policy({ scpoe: {} }), 'policies[0].scpoe: unknown field'],
    [
      policy({ scope: { clusters: ['prod'] } }),
      'policies[0].scope.clusters: a task definition belongs to no cluster',
    ],
    [
      policy({ actions: [{ type: 'tag', key: 'team:audit' }] }),
      'policies[0].actions[0].key: expected a key starting with "harbormaster:" (the only keys the stack may tag with)',
    ],
    [
      policy({ actions: [{ type: 'stop' }] }),
      'policies[0].actions[0].type: stop does not apply to ecs-task-definition (use tag or deregister)',
    ],
    [
      policy({ actions: [{ type: 'explode' }] }),
      'policies[0].actions[0].type: unknown action type',
    ],
    [
      policy({ filters: [{ type: 'deployment-guard' }] }),
      'policies[0].filters[0].type: deployment-guard reads the service, which an ecs-task-definition policy does not have',
    ],
    [
      policy({
        filters: [
          { type: 'value', id: 'v', target: 'service', key: 'desiredCount', op: 'present' },
        ],
      }),
      'policies[0].filters[0].target: an ecs-task-definition policy has no service to read',
    ],
    [
      policy({ filters: [{ type: 'image-pinned' }, { type: 'image-pinned' }] }),
      'policies[0].filters[1]: "image-pinned" appears twice in this policy',
    ],
    [policy({ filters: [] }), 'policies[0].filters: a policy needs at least one filter'],
    [
      policy({ name: 'Has Spaces' }),
      'policies[0].name: expected a policy name of lowercase letters, digits and hyphens',
    ],
    [
      { enforcement: { exemptionTag: 'aws:exempt' } },
      'enforcement.exemptionTag: expected an ECS tag key (not starting with aws:)',
    ],
    [
      { enforcement: { taskDefinitionCache: { maxEntries: 0 } } },
      'enforcement.taskDefinitionCache.maxEntries: too small: expected >=1, received 0',
    ],
  ])('names the bad field of %j', (data, expected) => {
    // Assess
    expect(problemsOf(data)).toContainEqual(expect.stringContaining(expected));
  });

  it('fills the same enforcement defaults whether the section is absent or empty', () => {
    // Assess
    expect(parseConfig({}, 'test').enforcement).toStrictEqual(
      parseConfig({ enforcement: {} }, 'test').enforcement,
    );
  });

  it('rejects two policies with the same name, naming the second', () => {
    // Prepare
    const p = { name: 'dup', resource: 'ecs-task', filters: [{ type: 'not-privileged' }] };
    // Assess
    expect(problemsOf({ policies: [p, p] })).toStrictEqual([
      'policies[1].name: another policy is already named "dup"',
    ]);
  });
});

describe('A bad policy at packaging and at cold start', () => {
  const BAD =
    'policies:\n  - name: p\n    resource: ecs-task\n    filters:\n      - type: value\n        id: v\n        key: containerDefinitions[].image\n        op: matches\n';

  it('fails the stack description that serverless package runs, naming the field', async () => {
    // Prepare
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { describeStack } = await import('#infra/stack/describe.ts');
    const file = join(mkdtempSync(join(tmpdir(), 'hm-config-')), 'harbormaster.yml');
    writeFileSync(file, BAD);
    // Act
    const run = () => describeStack({ configFile: file, functions: {} });
    // Assess
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/policies\[0\]\.filters\[0\]\.op: expected one of "eq", /);
  });

  it('fails the cold start\u2019s parse of the bundled configuration, naming the field', async () => {
    // Prepare
    const { parse } = await import('yaml');
    const { parseSections } = await import('#kernel/config/sections.ts');
    const { policyEnforcer } = await import('#functions/policy-enforcer/definition.ts');
    // Act: what the policy enforcer's cold start validates (its sections, as the file has them)
    const run = () =>
      parseSections(
        parse(BAD),
        'the configuration bundled at build time',
        policyEnforcer.configSections,
      );
    // Assess
    expect(run).toThrow(
      /the configuration bundled at build time\):\n {2}- policies\[0\]\.filters\[0\]\.op: expected one of "eq", /,
    );
  });
});
