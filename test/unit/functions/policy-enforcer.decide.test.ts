import { describe, expect, it } from 'vitest';
import { checkpointOf, type PolicyEvent } from '../../../functions/policy-enforcer/checkpoint.ts';
import { decidePolicies } from '../../../functions/policy-enforcer/decide.ts';
import type { LoadedRevision, PolicyState } from '../../../functions/policy-enforcer/load.ts';
import { parseConfig } from '../../../shared/config/parse.ts';
import type { ConfigInput } from '../../../shared/config/schema.ts';
import type { Action } from '../../../shared/core/action.ts';
import { parseEventOf } from '../../../shared/events/parse.ts';
import type { ServiceDocument, TaskDefinitionDocument } from '../../../shared/policy/documents.ts';
import { apiCallEvent, type Json } from '../../support/events.ts';
import {
  registerEvent,
  revisionArn,
  taskStartEvent,
  withCaller,
  withPolicies,
} from '../../support/policy-events.ts';
import {
  compliantService,
  compliantTaskDefinition,
  withContainer,
} from '../../support/task-definitions.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const SECRET = ['sk', 'live', 'aaaabbbbccccdddd1234'].join('_');

const parse = (raw: Json): PolicyEvent => parseEventOf(raw, ['api-call', 'task-state-change']);

const revision = (
  arn: string,
  definition: TaskDefinitionDocument,
  tags: Record<string, string> = {},
): LoadedRevision => ({ arn, definition, tags, status: 'ACTIVE' });

/** Decides as the function would, with the state its load step would have read. */
const decide = (raw: Json, input: ConfigInput, state: Partial<PolicyState> = {}) => {
  const config = parseConfig(input, 'test');
  const event = parse(raw);
  const checkpoint = checkpointOf(event, config);
  const fromRecord =
    checkpoint.kind === 'register' && checkpoint.definition
      ? revision(checkpoint.taskDefinitionArn, checkpoint.definition, checkpoint.tags)
      : undefined;
  return decidePolicies(
    event,
    {
      checkpoint,
      revision: fromRecord,
      service: undefined,
      serviceTags: {},
      rollbackCandidates: [],
      ...state,
    },
    config,
    NOW,
  );
};

const types = (actions: readonly Action[]) => actions.map((a) => a.type);
const alertOf = (actions: readonly Action[]) => {
  const notify = actions.find((a) => a.type === 'notify');
  if (notify?.type !== 'notify' || notify.alert.kind !== 'policy-violation') return undefined;
  return notify.alert;
};

const IMAGES = {
  name: 'images',
  resource: 'ecs-task-definition',
  filters: [{ type: 'image-pinned' }, { type: 'no-plaintext-secrets' }],
};

const BAD_TD = withContainer({
  image: 'nginx:latest',
  environment: [{ name: 'STRIPE', value: SECRET }],
});

describe('Function: decidePolicies at RegisterTaskDefinition', () => {
  it('reports and alerts in notify mode, naming rules, containers and paths but never the secret', () => {
    // Act
    const decision = decide(registerEvent(BAD_TD), withPolicies({ ...IMAGES, mode: 'notify' }));
    // Assess
    expect(types(decision.actions)).toStrictEqual(['report-findings', 'notify']);
    const alert = alertOf(decision.actions);
    expect(alert).toMatchObject({
      policy: 'images',
      checkpoint: 'register',
      resource: 'task definition web:7',
      severity: 'critical',
      enforcement: [],
      subject: {
        account: '123456789012',
        region: 'us-east-1',
        taskDefinition: revisionArn('web', 7),
      },
    });
    expect(alert?.findings).toStrictEqual([
      {
        rule: 'image-pinned',
        status: 'non-compliant',
        message: 'container app: image nginx:latest uses the mutable tag "latest"',
        container: 'app',
        path: 'containerDefinitions[0].image',
        target: 'taskDefinition',
        note: undefined,
      },
      {
        rule: 'no-plaintext-secrets',
        status: 'non-compliant',
        message:
          'container app: the value of environment variable STRIPE looks like a Stripe live key',
        container: 'app',
        path: 'containerDefinitions[0].environment[0].value',
        target: 'taskDefinition',
        note: undefined,
      },
    ]);
    expect(JSON.stringify(decision)).not.toContain(SECRET);
    expect(decision.reason).toBe(
      'task definition web:7 fails images (notify: image-pinned, no-plaintext-secrets)',
    );
  });

  it('tags and deregisters the revision in enforce mode, and says so in the alert', () => {
    // Act
    const decision = decide(
      registerEvent(BAD_TD),
      withPolicies({
        ...IMAGES,
        mode: 'enforce',
        actions: [{ type: 'tag' }, { type: 'deregister' }],
      }),
    );
    // Assess
    expect(decision.actions.slice(2)).toStrictEqual([
      {
        type: 'tag-task-definition',
        taskDefinitionArn: revisionArn('web', 7),
        tags: { 'harbormaster:non-compliant': 'image-pinned no-plaintext-secrets' },
      },
      {
        type: 'deregister-task-definition',
        taskDefinitionArn: revisionArn('web', 7),
        reason: 'fails images',
      },
    ]);
    expect(alertOf(decision.actions)?.enforcement).toStrictEqual([
      'tag the revision harbormaster:non-compliant=image-pinned no-plaintext-secrets',
      'deregister the revision, so no new task or service can use it',
    ]);
  });

  it('only reports in audit mode', () => {
    // Act
    const decision = decide(
      registerEvent(BAD_TD),
      withPolicies({ ...IMAGES, mode: 'audit', actions: [{ type: 'deregister' }] }),
    );
    // Assess
    expect(types(decision.actions)).toStrictEqual(['report-findings']);
  });

  it('does nothing for a compliant revision, and takes no action in notify mode for actions listed', () => {
    // Assess
    expect(decide(registerEvent(compliantTaskDefinition()), withPolicies(IMAGES))).toMatchObject({
      outcome: 'ignored',
      reason: 'task definition web:7 complies with images',
    });
    expect(
      types(
        decide(
          registerEvent(BAD_TD),
          withPolicies({ ...IMAGES, mode: 'notify', actions: [{ type: 'deregister' }] }),
        ).actions,
      ),
    ).toStrictEqual(['report-findings', 'notify']);
  });

  it('reports an exempted failure but neither alerts nor enforces it', () => {
    // Prepare
    const td = withContainer({ image: 'nginx:latest' });
    const event = registerEvent(td, {
      tags: { 'harbormaster:exempt:image-pinned': '2026-12-31 vendor image until 4.2' },
    });
    // Act
    const decision = decide(
      event,
      withPolicies({ ...IMAGES, mode: 'enforce', actions: [{ type: 'deregister' }] }),
    );
    // Assess
    expect(types(decision.actions)).toStrictEqual(['report-findings']);
    expect(decision.actions[0]).toMatchObject({
      policies: [{ policy: 'images', findings: [{ rule: 'image-pinned', status: 'exempt' }] }],
    });
  });

  it('applies only the policies whose scope covers the family or the tags', () => {
    // Prepare
    const config = withPolicies(
      { ...IMAGES, name: 'batch-only', scope: { families: ['batch-*'] } },
      { ...IMAGES, name: 'team-pay', scope: { tags: { team: 'payments' } } },
    );
    // Act
    const decision = decide(registerEvent(BAD_TD, { tags: { team: 'payments' } }), config);
    // Assess
    expect(alertOf(decision.actions)?.policy).toBe('team-pay');
    expect(decision.actions.filter((a) => a.type === 'notify')).toHaveLength(1);
  });

  it.each([
    [
      'Harbormaster\u2019s own call',
      withCaller(
        registerEvent(BAD_TD),
        'arn:aws:sts::123456789012:assumed-role/harbormaster-prod-PolicyEnforcerRole-1AB/harbormaster-prod-policy-enforcer',
      ),
      /Harbormaster's own call/,
    ],
    [
      'a call that failed',
      {
        ...registerEvent(BAD_TD),
        detail: {
          ...(registerEvent(BAD_TD).detail as Json),
          errorCode: 'ClientException',
          responseElements: null,
        },
      },
      /failed \(ClientException\)/,
    ],
  ])('ignores %s', (_label, event, reason) => {
    // Act
    const decision = decide(event, withPolicies(IMAGES));
    // Assess
    expect(decision.outcome).toBe('ignored');
    expect(decision.reason).toMatch(reason);
  });

  it('ignores everything when no policy of the resource is configured', () => {
    // Assess
    expect(decide(registerEvent(BAD_TD), {}).reason).toBe(
      'no ecs-task-definition policy is configured',
    );
  });

  it('alerts on a rule that throws as an error finding, with the other rules\u2019 findings', async () => {
    // Prepare: a rule that throws, as a bug in it would
    const { RULES } = await import('../../../shared/policy/rules/index.ts');
    const rule = RULES['no-plaintext-secrets'];
    const original = rule?.check;
    if (!rule || !original) throw new Error('missing rule');
    rule.check = () => {
      throw new RangeError('bad input');
    };
    try {
      // Act
      const decision = decide(registerEvent(BAD_TD), withPolicies(IMAGES));
      // Assess
      expect(alertOf(decision.actions)?.findings.map((f) => [f.rule, f.status])).toStrictEqual([
        ['image-pinned', 'non-compliant'],
        ['no-plaintext-secrets', 'error'],
      ]);
    } finally {
      rule.check = original;
    }
  });
});

describe('Function: decidePolicies at CreateService and UpdateService', () => {
  const SERVICE_POLICY = {
    name: 'prod-services',
    resource: 'ecs-service',
    mode: 'enforce',
    filters: [{ type: 'image-pinned' }, { type: 'no-public-ip' }],
    actions: [{ type: 'rollback' }],
  };
  const v6 = revision(revisionArn('web', 6), compliantTaskDefinition());
  const v5 = revision(revisionArn('web', 5), withContainer({ image: 'nginx:latest' }));
  const v7 = revision(revisionArn('web', 7), withContainer({ image: 'nginx:latest' }));
  const deployed = (overrides: Partial<ServiceDocument> = {}) =>
    compliantService({
      taskDefinition: v7.arn,
      deployments: [
        { id: 'ecs-svc/222', status: 'PRIMARY', taskDefinition: v7.arn },
        { id: 'ecs-svc/111', status: 'ACTIVE', taskDefinition: v6.arn },
      ],
      ...overrides,
    });
  const update = (service: ServiceDocument) =>
    apiCallEvent(
      'UpdateService',
      { cluster: 'prod', service: 'web', taskDefinition: 'web:7' },
      { service: service as Json },
    );

  it('rolls back to the newest earlier revision that complies, in the deployment\u2019s thread', () => {
    // Act
    const service = deployed();
    const decision = decide(update(service), withPolicies(SERVICE_POLICY), {
      revision: v7,
      service,
      rollbackCandidates: [v6, v5],
    });
    // Assess
    expect(decision.actions.at(-1)).toStrictEqual({
      type: 'revert-to-compliant',
      cluster: 'prod',
      service: 'web',
      from: v7.arn,
      to: v6.arn,
      reason: 'web:7 fails prod-services',
    });
    expect(alertOf(decision.actions)).toMatchObject({
      checkpoint: 'deploy',
      resource: 'service prod/web (web:7)',
      enforcement: ['roll the service back to web:6'],
      threadId: 'ecs-prod-web-222',
      subject: { cluster: 'prod', service: 'web', deploymentId: 'ecs-svc/222' },
    });
  });

  it('skips inactive and non-compliant candidates; with none left it only alerts, saying why', () => {
    // Act
    const service = deployed();
    const decision = decide(update(service), withPolicies(SERVICE_POLICY), {
      revision: v7,
      service,
      rollbackCandidates: [{ ...v6, status: 'INACTIVE' }, v5],
    });
    // Assess
    expect(types(decision.actions)).toStrictEqual(['report-findings', 'notify']);
    expect(alertOf(decision.actions)?.enforcement).toStrictEqual([
      'no rollback: the service ran no earlier revision that complies',
    ]);
  });

  it('does not roll back when only the service\u2019s settings fail (a public IP)', () => {
    // Act
    const service = deployed({
      taskDefinition: v6.arn,
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['a', 'b'], assignPublicIp: 'ENABLED' },
      },
    });
    const decision = decide(update(service), withPolicies(SERVICE_POLICY), {
      revision: v6,
      service,
      rollbackCandidates: [v5],
    });
    // Assess
    expect(types(decision.actions)).toStrictEqual(['report-findings', 'notify']);
    expect(alertOf(decision.actions)?.findings.map((f) => f.rule)).toStrictEqual(['no-public-ip']);
    expect(alertOf(decision.actions)?.enforcement[0]).toMatch(
      /settings, which a rollback does not change/,
    );
  });

  it('alerts on a non-compliant CreateService: a new service has nothing to roll back to', () => {
    // Prepare
    const service = deployed({
      deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: v7.arn }],
    });
    const event = apiCallEvent(
      'CreateService',
      { cluster: 'prod', serviceName: 'web', taskDefinition: 'web:7' },
      { service: service as Json },
    );
    // Act
    const decision = decide(event, withPolicies(SERVICE_POLICY), { revision: v7, service });
    // Assess
    expect(types(decision.actions)).toStrictEqual(['report-findings', 'notify']);
    expect(alertOf(decision.actions)?.enforcement).toStrictEqual([
      'no rollback: a new service has no earlier revision',
    ]);
  });
});

describe('Function: decidePolicies when tasks start', () => {
  const JOB = revision(
    revisionArn('job', 3),
    withContainer({ privileged: true }, { family: 'job' }),
  );
  const TASK_POLICY = {
    name: 'no-privileged-jobs',
    resource: 'ecs-task',
    mode: 'enforce',
    filters: [{ type: 'not-privileged' }],
    actions: [{ type: 'stop' }],
  };

  it('stops a standalone non-compliant task with a reason naming the policy and the rule', () => {
    // Act
    const decision = decide(taskStartEvent(JOB.arn), withPolicies(TASK_POLICY), { revision: JOB });
    // Assess
    expect(decision.actions.at(-1)).toStrictEqual({
      type: 'stop-task',
      cluster: 'example-cluster',
      taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/example-cluster/a1173316d40a45dea9',
      reason: 'Harbormaster policy no-privileged-jobs (not-privileged)',
    });
    expect(alertOf(decision.actions)?.enforcement).toStrictEqual(['stop the task']);
  });

  it.each([
    ['a service task', { group: 'service:web' }, /a task of service web/],
    [
      'a task of a service deployment',
      { group: 'family:job', startedBy: 'ecs-svc/123' },
      /deployment ecs-svc\/123/,
    ],
    ['a task being stopped', { desiredStatus: 'STOPPED' }, /not starting/],
  ])('ignores %s', (_label, changes, reason) => {
    // Act
    const decision = decide(taskStartEvent(JOB.arn, changes), withPolicies(TASK_POLICY), {
      revision: JOB,
    });
    // Assess
    expect(decision.reason).toMatch(reason);
    expect(decision.actions).toStrictEqual([]);
  });

  it('stops every task of a RunTask that assigns public IPs', () => {
    // Prepare
    const event = apiCallEvent(
      'RunTask',
      {
        cluster: 'batch',
        taskDefinition: 'job',
        count: 2,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: ['a'], assignPublicIp: 'ENABLED' },
        },
      },
      {
        tasks: [
          {
            taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/batch/t1',
            taskDefinitionArn: JOB.arn,
          },
          {
            taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/batch/t2',
            taskDefinitionArn: JOB.arn,
          },
        ],
        failures: [],
      },
    );
    const policy = { ...TASK_POLICY, name: 'private-jobs', filters: [{ type: 'no-public-ip' }] };
    // Act
    const decision = decide(event, withPolicies(policy), { revision: JOB });
    // Assess
    expect(
      decision.actions
        .filter((a) => a.type === 'stop-task')
        .map((a) => a.type === 'stop-task' && a.taskArn),
    ).toStrictEqual([
      'arn:aws:ecs:us-east-1:123456789012:task/batch/t1',
      'arn:aws:ecs:us-east-1:123456789012:task/batch/t2',
    ]);
    expect(alertOf(decision.actions)?.resource).toBe('RunTask of job:3 in batch');
  });
});

describe('Function: decidePolicies alert deduplication', () => {
  it('gives RunTask\u2019s record and its task\u2019s start one alert key when they fail the same rules', () => {
    // Prepare
    const job = revision(
      revisionArn('job', 3),
      withContainer({ privileged: true }, { family: 'job' }),
    );
    const config = withPolicies({
      name: 'jobs',
      resource: 'ecs-task',
      filters: [{ type: 'not-privileged' }],
    });
    const runTask = apiCallEvent(
      'RunTask',
      { cluster: 'example-cluster', taskDefinition: 'job' },
      {
        tasks: [
          {
            taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/example-cluster/a1173316d40a45dea9',
            taskDefinitionArn: job.arn,
          },
        ],
      },
    );
    // Act
    const fromRecord = alertOf(decide(runTask, config, { revision: job }).actions);
    const fromTask = alertOf(decide(taskStartEvent(job.arn), config, { revision: job }).actions);
    // Assess
    expect(fromRecord?.dedup.key).toBe(fromTask?.dedup.key);
    expect(fromRecord?.dedup.key).toBe(
      `policy-violation|123456789012|us-east-1|jobs|ecs-task|example-cluster|${job.arn}|not-privileged`,
    );
  });
});
