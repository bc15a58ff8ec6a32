import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '#kernel/errors.ts';
import { MAX_DETAIL_CHARACTERS, parseEvent } from '#kernel/events/parse.ts';
import { apiCallEvent, fixture, fixtureNames, withDetail } from '#support/events.ts';

const EXPECTED_KIND: Record<string, string> = {
  'cloudwatch-alarm-state-change-single-metric-docs': 'alarm-state-change',
  'container-instance-state-change-docs': 'container-instance-state-change',
  'deployment-completed-docs': 'deployment-state-change',
  'deployment-failed-circuit-breaker-docs': 'deployment-state-change',
  'deployment-in-progress-TRIMMED-autoptic': 'deployment-state-change',
  'deployment-in-progress-docs': 'deployment-state-change',
  'deployment-in-progress-rollback-docs': 'deployment-state-change',
  'scheduled-event-aws-lambda-go': 'scheduled',
  'scheduled-event-eventbridge-rule-docs': 'scheduled',
  'scheduler-default-payload-powertools': 'scheduled',
  'service-action-capacity-provider-steady-state-docs': 'service-action',
  'service-action-placement-failure-ec2-cpu-docs': 'service-action',
  'service-action-placement-failure-fargate-spot-docs': 'service-action',
  'service-action-steady-state-TRIMMED-autoptic': 'service-action',
  'service-action-steady-state-docs': 'service-action',
  'service-action-task-start-impaired-docs': 'service-action',
  'task-provisioning-service-TRIMMED-autoptic': 'task-state-change',
  'task-running-ec2-docs-2025': 'task-state-change',
  'task-running-ec2-service-docs-2016': 'task-state-change',
  'task-running-fargate-docs-2020': 'task-state-change',
  'task-running-fargate-docs-2025': 'task-state-change',
  'task-running-fargate-service-arkime': 'task-state-change',
  'task-spot-interruption-SNIPPET-docs': 'task-state-change',
  'task-stopped-essential-exit0-ec2-runtask-maasglobal': 'task-state-change',
  'task-stopped-fargate-service-scalein-exit137-arkime': 'task-state-change',
};

const issuesOf = (raw: unknown): string[] => {
  try {
    parseEvent(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEventError);
    return (error as InvalidEventError).issues.map((issue) => issue.path);
  }
  throw new Error('expected the event to be rejected');
};

describe('Function: parseEvent', () => {
  it('knows every fixture (a new fixture needs an expected kind here)', () => {
    // Prepare
    const envelopes = fixtureNames().filter((name) => !name.startsWith('cloudtrail-record'));
    // Assess
    expect(envelopes.sort()).toStrictEqual(Object.keys(EXPECTED_KIND).sort());
  });

  it.each(Object.entries(EXPECTED_KIND))('parses the real event %s as %s', (name, kind) => {
    // Act
    const event = parseEvent(fixture(name));
    // Assess
    expect(event.kind).toBe(kind);
    expect(event.meta.account).toMatch(/^(\d{12}|X{12})$/);
    expect(event.meta.region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
  });

  it('parses the documented CloudTrail record once wrapped in its EventBridge envelope', () => {
    // Prepare
    const record = fixture('cloudtrail-record-ecs-createcluster-docs');
    const event = apiCallEvent('RegisterTaskDefinition', {
      family: 'web',
      containerDefinitions: [{ name: 'app', image: 'nginx:1.27' }],
    });
    // Act
    const parsed = parseEvent(event);
    // Assess
    expect(parsed.kind).toBe('api-call');
    expect(parsed.meta.account).toBe(record.recipientAccountId);
    expect(parsed.meta.time?.toISOString()).toBe('2018-06-20T19:04:36.000Z');
  });

  it.each([
    ['RegisterTaskDefinition', { family: 'web', containerDefinitions: [] }],
    ['CreateService', { serviceName: 'web', cluster: 'prod', taskDefinition: 'web:3' }],
    ['UpdateService', { service: 'web', cluster: 'prod', taskDefinition: 'web:4' }],
    [
      'RunTask',
      { taskDefinition: 'report:2', cluster: 'batch', count: 3, startedBy: 'hm/nightly' },
    ],
  ])('parses a %s call', (eventName, parameters) => {
    // Act
    const parsed = parseEvent(apiCallEvent(eventName, parameters));
    // Assess
    expect(parsed.kind === 'api-call' && parsed.raw.detail.eventName).toBe(eventName);
  });

  it('keeps fields it does not use, because ECS keeps adding them', () => {
    // Prepare
    const event = withDetail('task-running-fargate-service-arkime', {
      brandNewField: { nested: true },
    });
    // Act
    const parsed = parseEvent(event);
    // Assess
    expect(parsed.kind === 'task-state-change' && parsed.raw.detail).toHaveProperty(
      'brandNewField',
    );
  });

  it('reads the service from the new-format service ARN', () => {
    // Act
    const parsed = parseEvent(fixture('service-action-placement-failure-ec2-cpu-docs'));
    // Assess
    expect(parsed.kind === 'service-action' && parsed.subject).toStrictEqual({
      serviceArn: 'arn:aws:ecs:us-west-2:111122223333:service/default/servicetest',
      cluster: 'default',
      service: 'servicetest',
    });
  });

  it('takes the cluster of an old-format service ARN from detail.clusterArn', () => {
    // Prepare
    const event = fixture('service-action-task-start-impaired-docs');
    event.resources = ['arn:aws:ecs:us-west-2:111122223333:service/servicetest'];
    // Act
    const parsed = parseEvent(event);
    // Assess
    expect(parsed.kind === 'service-action' && parsed.subject.cluster).toBe('default');
  });

  it('derives account and region from ARNs when a capture omits the envelope fields', () => {
    // Act
    const parsed = parseEvent(fixture('deployment-in-progress-TRIMMED-autoptic'));
    // Assess
    expect(parsed.meta).toMatchObject({ account: '025066242351', region: 'us-west-2' });
    expect(parsed.meta.time?.toISOString()).toBe('2026-09-04T17:00:01.714Z');
  });

  it('reads the EventBridge Scheduler payload whose detail is the string "{}"', () => {
    // Act
    const parsed = parseEvent(fixture('scheduler-default-payload-powertools'));
    // Assess
    expect(parsed.kind === 'scheduled' && parsed.raw.detail).toStrictEqual({});
    expect(parsed.kind === 'scheduled' && parsed.scheduleArn).toBe(
      'arn:aws:scheduler:us-east-1:123456789012:schedule/default/aaaaa',
    );
  });

  describe('rejects bad input with an error naming the field', () => {
    it.each([
      ['a string', 'hello', 'event'],
      ['null', null, 'event'],
      ['an array', [1, 2], 'event'],
      ['a missing detail-type', { source: 'aws.ecs', detail: {} }, 'detail-type'],
      [
        'an unknown detail-type',
        { 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2', detail: {} },
        'detail-type',
      ],
    ])('%s', (_label, raw, path) => {
      // Assess
      expect(issuesOf(raw)).toStrictEqual([path]);
    });

    it('a wrongly typed field', () => {
      // Prepare
      const event = fixture('task-stopped-fargate-service-scalein-exit137-arkime');
      (
        (event.detail as { containers: { exitCode: unknown }[] }).containers[0] as {
          exitCode: unknown;
        }
      ).exitCode = '137';
      // Assess
      expect(issuesOf(event)).toStrictEqual(['detail.containers[0].exitCode']);
    });

    it('a missing required field', () => {
      // Assess
      expect(
        issuesOf(withDetail('deployment-completed-docs', { deploymentId: undefined })),
      ).toStrictEqual(['detail.deploymentId']);
    });

    it('a resource that is not a service ARN', () => {
      // Prepare
      const event = fixture('deployment-completed-docs');
      event.resources = ['arn:aws:ecs:us-west-2:111122223333:cluster/default'];
      // Assess
      expect(issuesOf(event)).toStrictEqual(['resources[0]']);
    });

    it('an unknown CloudTrail call', () => {
      // Assess
      expect(issuesOf(apiCallEvent('DeleteCluster', { cluster: 'x' }))).toStrictEqual([
        'detail.eventName',
      ]);
    });

    it('an oversized detail', () => {
      // Prepare
      const event = withDetail('service-action-task-start-impaired-docs', {
        reason: 'x'.repeat(MAX_DETAIL_CHARACTERS),
      });
      // Assess
      expect(issuesOf(event)).toStrictEqual(['detail']);
    });

    it('a malformed timestamp', () => {
      // Assess
      expect(
        issuesOf(withDetail('deployment-completed-docs', { updatedAt: 'yesterday' })),
      ).toStrictEqual(['detail.updatedAt']);
    });
  });
});

describe('Function: parseEvent, found by property tests', () => {
  it('rejects a detail that JSON cannot hold', () => {
    // Prepare
    const event = { ...fixture('deployment-completed-docs'), detail: { huge: 10n } };
    // Assess
    expect(() => parseEvent(event)).toThrow(/detail: is not JSON/);
  });

  it('rejects a detail-type that names an Object.prototype member', () => {
    // Prepare
    const event = { ...fixture('deployment-completed-docs'), 'detail-type': 'valueOf' };
    // Assess
    expect(() => parseEvent(event)).toThrow(/detail-type: unsupported value \(supported: /);
  });
});
