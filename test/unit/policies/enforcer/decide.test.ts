import { describe, expect, it } from 'vitest';
import { apiCallEvent, type Json } from '#support/events.ts';
import { alertOf, decide, revision, types } from '#support/policy-decide.ts';
import {
  registerEvent,
  revisionArn,
  taskStartEvent,
  withCaller,
  withPolicies,
} from '#support/policy-events.ts';
import { compliantTaskDefinition, withContainer } from '#support/task-definitions.ts';

const SECRET = ['sk', 'live', 'aaaabbbbccccdddd1234'].join('_');

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
        message: 'container app: image nginx:latest uses the moving tag "latest"',
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
    expect(decision.actions.slice(1, -1)).toStrictEqual([
      {
        type: 'tag',
        taskDefinitionArn: revisionArn('web', 7),
        tags: { 'harbormaster:non-compliant': 'image-pinned no-plaintext-secrets' },
      },
      {
        type: 'deregister',
        taskDefinitionArn: revisionArn('web', 7),
        reason: 'fails images',
      },
    ]);
    expect(alertOf(decision.actions)?.enforcement).toStrictEqual([
      'tag the revision harbormaster:non-compliant=image-pinned no-plaintext-secrets',
      'deregister the revision, so no new task or service can use it',
    ]);
  });

  it('tags and deregisters only revisions of scope.taskFamilies: IAM cannot hold DeregisterTaskDefinition to families', () => {
    // Act
    const decision = decide(registerEvent(BAD_TD), {
      ...withPolicies({
        ...IMAGES,
        mode: 'enforce',
        actions: [{ type: 'tag' }, { type: 'deregister' }],
      }),
      scope: { taskFamilies: ['payments', 'checkout-*'] },
    });
    // Assess
    expect(decision.actions.map((a) => a.type)).toStrictEqual(['report-findings', 'notify']);
    expect(alertOf(decision.actions)?.enforcement).toStrictEqual([
      'the revision is left as it is (no tag): web is not in scope.taskFamilies',
      'the revision is left as it is (no deregister): web is not in scope.taskFamilies',
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
    const { RULES } = await import('#policies/rules/index.ts');
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
