import { describe, expect, it } from 'vitest';
import { parseConfig } from '#config/parse.ts';
import type { PolicySubject } from '#policies/documents.ts';
import { evaluatePolicy } from '#policies/engine.ts';
import {
  compliantContainer,
  compliantService,
  compliantTaskDefinition,
} from '#support/task-definitions.ts';

const SUBJECT: PolicySubject = {
  taskDefinition: compliantTaskDefinition({
    containerDefinitions: [
      compliantContainer({ name: 'app', stopTimeout: 120, portMappings: [{ containerPort: 22 }] }),
      compliantContainer({ name: 'proxy', image: 'public.ecr.aws/nginx/nginx:1.27' }),
    ],
  }),
  service: compliantService(),
};

/** The failing paths of a policy with one value filter. */
const matches = (filter: Record<string, unknown>, resource = 'ecs-service') => {
  const [policy] = parseConfig(
    {
      policies: [
        { name: 'custom', resource, filters: [{ type: 'value', id: 'check', ...filter }] },
      ],
    },
    'test',
  ).policies;
  if (!policy) throw new Error('no policy');
  const result = evaluatePolicy(policy, SUBJECT, { now: new Date(), exemptionTag: 'x', tags: {} });
  return result.failures.map((f) => `${f.location?.container ?? '-'} ${f.message}`);
};

describe('Value filters (Cloud Custodian\u2019s value filter)', () => {
  it.each([
    [{ key: 'family', op: 'eq', value: 'web' }, ['- check: family equals "web"']],
    [{ key: 'family', op: 'ne', value: 'web' }, []],
    [{ key: 'cpu', op: 'eq', value: 512 }, ['- check: cpu equals 512']],
    [
      { key: 'containerDefinitions[].name', op: 'in', value: ['proxy', 'db'] },
      ['proxy check: containerDefinitions[1].name is one of ["proxy","db"]'],
    ],
    [
      { key: 'containerDefinitions[].name', op: 'not-in', value: ['app'] },
      ['proxy check: containerDefinitions[1].name is not one of ["app"]'],
    ],
    [
      { key: 'containerDefinitions[].image', op: 'regex', value: 'public\\.ecr\\.aws/.*' },
      ['proxy check: containerDefinitions[1].image matches /public\\.ecr\\.aws/.*/'],
    ],
    [{ key: 'containerDefinitions[].image', op: 'regex', value: 'nginx' }, []],
    [
      { key: 'containerDefinitions[].image', op: 'glob', value: '*nginx*' },
      ['proxy check: containerDefinitions[1].image matches "*nginx*"'],
    ],
    [
      { key: 'containerDefinitions[].stopTimeout', op: 'gt', value: 60 },
      ['app check: containerDefinitions[0].stopTimeout is greater than 60'],
    ],
    [{ key: 'memory', op: 'lt', value: '2048' }, ['- check: memory is less than 2048']],
    [
      { key: 'containerDefinitions[].portMappings[]', op: 'eq', value: { containerPort: 22 } },
      ['app check: containerDefinitions[0].portMappings[0] equals {"containerPort":22}'],
    ],
    [{ key: 'containerDefinitions[].portMappings[]', op: 'eq', value: { containerPort: 80 } }, []],
    [
      { key: 'containerDefinitions[].stopTimeout', op: 'absent' },
      ['proxy check: containerDefinitions[1].stopTimeout is not set'],
    ],
    [
      { key: 'containerDefinitions[0].portMappings[].containerPort', op: 'present' },
      ['app check: containerDefinitions[0].portMappings[0].containerPort is set'],
    ],
    [
      {
        key: 'deploymentConfiguration.maximumPercent',
        op: 'gt',
        value: 150,
        target: 'service',
        description: 'surge too large',
      },
      ['- surge too large: deploymentConfiguration.maximumPercent is greater than 150'],
    ],
  ])('%j matches %j', (filter, expected) => {
    // Assess
    expect(matches(filter)).toStrictEqual(expected);
  });

  it('never matches a missing value except with absent', () => {
    // Assess
    for (const op of ['eq', 'ne', 'regex', 'glob', 'gt', 'lt', 'present']) {
      expect(
        matches({ key: 'pidMode', op, value: op === 'present' ? undefined : '1' }),
      ).toStrictEqual([]);
    }
    expect(matches({ key: 'pidMode', op: 'absent' })).toStrictEqual([
      '- check: pidMode is not set',
    ]);
  });

  it('does not apply to a document the subject lacks', () => {
    // Prepare
    const [policy] = parseConfig(
      {
        policies: [
          {
            name: 'custom',
            resource: 'ecs-service',
            filters: [
              { type: 'value', id: 'v', target: 'service', key: 'desiredCount', op: 'absent' },
            ],
          },
        ],
      },
      'test',
    ).policies;
    if (!policy) throw new Error('no policy');
    // Act
    const result = evaluatePolicy(
      policy,
      { taskDefinition: {} },
      {
        now: new Date(),
        exemptionTag: 'x',
        tags: {},
      },
    );
    // Assess
    expect(result.findings.map((f) => f.status)).toStrictEqual(['not-applicable']);
  });
});
