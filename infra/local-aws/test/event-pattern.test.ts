import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventPattern } from '../event-pattern.ts';
import { compilePattern, matchesPattern, validatePattern } from '../event-pattern.ts';

type Json = Record<string, unknown>;

const FIXTURES = new URL('./fixtures/events/', import.meta.url);

const fixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as Json;

const scaleInStop = fixture('task-stopped-fargate-service-scalein-exit137-arkime');
const essentialExit = fixture('task-stopped-essential-exit0-ec2-runtask-maasglobal');
const fargateRunning = fixture('task-running-fargate-docs-2025');
const spotInterruption = fixture('task-spot-interruption-SNIPPET-docs');
const deploymentFailed = fixture('deployment-failed-circuit-breaker-docs');
const deploymentInProgress = fixture('deployment-in-progress-docs');
const deploymentRollback = fixture('deployment-in-progress-rollback-docs');
const deploymentCompleted = fixture('deployment-completed-docs');
const placementFailure = fixture('service-action-placement-failure-fargate-spot-docs');
const startImpaired = fixture('service-action-task-start-impaired-docs');
const steadyState = fixture('service-action-steady-state-docs');
const schedulerPayload = fixture('scheduler-default-payload-powertools');

/** A task event whose containers are replaced, to exercise arrays of objects. */
const withContainers = (event: Json, containers: Json[]): Json => {
  const copy = structuredClone(event);
  (copy.detail as Json).containers = containers;
  return copy;
};

// The fivexl/terraform-aws-ecs-events-to-slack defaults quoted in the reference, section 6.
const stoppedNotScaleIn: EventPattern = {
  source: ['aws.ecs'],
  'detail-type': ['ECS Task State Change'],
  detail: {
    lastStatus: ['STOPPED'],
    stoppedReason: [
      { 'anything-but': { prefix: 'Scaling activity initiated by (deployment ecs-svc/' } },
    ],
  },
};
const deploymentErrors: EventPattern = {
  source: ['aws.ecs'],
  'detail-type': ['ECS Deployment State Change'],
  detail: { eventType: ['ERROR'] },
};
const serviceWarnings: EventPattern = {
  source: ['aws.ecs'],
  'detail-type': ['ECS Service Action'],
  detail: { eventType: ['WARN', 'ERROR'] },
};
const nonZeroExit: EventPattern = { detail: { containers: { exitCode: [{ 'anything-but': 0 }] } } };

describe('Function: matchesPattern', () => {
  describe('on real ECS events with the community default patterns', () => {
    it.each([
      ['the essential-container exit of a RunTask task', essentialExit, true],
      ['a scale-in stop during a deployment', scaleInStop, false],
      ['a running task', fargateRunning, false],
      ['a Spot interruption notice that is still RUNNING', spotInterruption, false],
      ['a deployment event', deploymentFailed, false],
    ])('stopped-task rule: %s → %s', (_name, event, expected) => {
      // Act
      const matched = matchesPattern(stoppedNotScaleIn, event);

      // Assess
      expect(matched).toBe(expected);
    });

    it.each([
      ['a circuit-breaker failure', deploymentFailed, true],
      ['an initial deployment in progress', deploymentInProgress, false],
      ['a rollback in progress', deploymentRollback, false],
      ['a completed deployment', deploymentCompleted, false],
      ['a service action ERROR', placementFailure, false],
    ])('deployment-error rule: %s → %s', (_name, event, expected) => {
      expect(matchesPattern(deploymentErrors, event)).toBe(expected);
    });

    it.each([
      ['a placement failure (ERROR)', placementFailure, true],
      ['a task start impaired (WARN)', startImpaired, true],
      ['a steady state (INFO)', steadyState, false],
      ['a deployment failure of another detail-type', deploymentFailed, false],
    ])('service-action rule: %s → %s', (_name, event, expected) => {
      expect(matchesPattern(serviceWarnings, event)).toBe(expected);
    });

    it('scopes deployment events to one cluster with a prefix on resources', () => {
      // Prepare
      const pattern = {
        resources: [{ prefix: 'arn:aws:ecs:us-west-2:111122223333:service/default/' }],
      };

      // Act & Assess
      expect(matchesPattern(pattern, deploymentFailed)).toBe(true);
      expect(matchesPattern(pattern, scaleInStop)).toBe(false);
    });

    it('scopes task events to services through detail.group', () => {
      const pattern = { detail: { group: [{ prefix: 'service:' }] } };

      expect(matchesPattern(pattern, scaleInStop)).toBe(true);
      expect(matchesPattern(pattern, essentialExit)).toBe(false);
    });

    it('tells a circuit-breaker rollback from an initial deployment by the reason prefix', () => {
      const pattern = {
        'detail-type': ['ECS Deployment State Change'],
        detail: {
          eventName: ['SERVICE_DEPLOYMENT_IN_PROGRESS'],
          reason: [{ prefix: 'ECS deployment circuit breaker' }],
        },
      };

      expect(matchesPattern(pattern, deploymentRollback)).toBe(true);
      expect(matchesPattern(pattern, deploymentInProgress)).toBe(false);
    });

    it('matches the Scheduler payload, whose detail is the string "{}"', () => {
      const scheduled = { source: ['aws.scheduler'], 'detail-type': ['Scheduled Event'] };

      expect(matchesPattern(scheduled, schedulerPayload)).toBe(true);
      expect(matchesPattern({ detail: ['{}'] }, schedulerPayload)).toBe(true);
      expect(matchesPattern({ detail: { batch: ['nightly'] } }, schedulerPayload)).toBe(false);
      expect(matchesPattern({ detail: { batch: [{ exists: false }] } }, schedulerPayload)).toBe(
        true,
      );
    });

    it('finds a 2018 event without stopCode with exists false', () => {
      const pattern = { detail: { lastStatus: ['STOPPED'], stopCode: [{ exists: false }] } };

      expect(matchesPattern(pattern, essentialExit)).toBe(true);
      expect(matchesPattern(pattern, scaleInStop)).toBe(false);
    });

    it('reaches through two levels of arrays of objects (containers[].networkInterfaces[])', () => {
      const inBlock = (cidr: string) => ({
        detail: { containers: { networkInterfaces: { privateIpv4Address: [{ cidr }] } } },
      });

      expect(matchesPattern(inBlock('10.0.0.0/16'), scaleInStop)).toBe(true);
      expect(matchesPattern(inBlock('10.1.0.0/16'), scaleInStop)).toBe(false);
    });

    it('combines wildcard, suffix, numeric and equals-ignore-case on one task event', () => {
      const pattern = {
        detail: {
          taskDefinitionArn: [{ wildcard: 'arn:aws:ecs:*:task-definition/DemoTrafficGen01*' }],
          startedBy: [{ suffix: '463695' }],
          version: [{ numeric: ['>=', 5, '<', 100] }],
          launchType: [{ 'equals-ignore-case': 'fargate' }],
        },
      };

      expect(matchesPattern(pattern, scaleInStop)).toBe(true);
      expect(matchesPattern(pattern, essentialExit)).toBe(false);
    });

    it('alerts on a crash or a non-zero exit with $or, but not on a clean RunTask exit', () => {
      const pattern = {
        detail: {
          lastStatus: ['STOPPED'],
          $or: [
            { stopCode: ['EssentialContainerExited'] },
            { containers: { exitCode: [{ 'anything-but': 0 }] } },
          ],
        },
      };

      expect(matchesPattern(pattern, scaleInStop)).toBe(true);
      expect(matchesPattern(pattern, essentialExit)).toBe(false);
    });
  });

  describe('arrays of objects in the event', () => {
    it.each([
      ['exit 137 (scale-in)', scaleInStop, true],
      ['exit 0', essentialExit, false],
      ['containers that have not stopped and have no exitCode', fargateRunning, false],
    ])('containers.exitCode anything-but 0 on %s → %s', (_name, event, expected) => {
      expect(matchesPattern(nonZeroExit, event)).toBe(expected);
    });

    it('matches when any container matches, including a sidecar', () => {
      const event = withContainers(essentialExit, [
        { name: 'app', exitCode: 0 },
        { name: 'envoy', exitCode: 143 },
      ]);

      expect(matchesPattern(nonZeroExit, event)).toBe(true);
    });

    it('keeps fields of one container together (array-consistent matching)', () => {
      // Prepare
      const event = withContainers(essentialExit, [
        { name: 'app', exitCode: 0 },
        { name: 'envoy', exitCode: 143 },
      ]);
      const crashed = (name: string) => ({
        detail: { containers: { name: [name], exitCode: [{ 'anything-but': 0 }] } },
      });

      // Act & Assess
      expect(matchesPattern(crashed('app'), event)).toBe(false);
      expect(matchesPattern(crashed('envoy'), event)).toBe(true);
    });

    it('fails exists false when any container holds the field (event-ruler ACFinder and NameState.getNameTransitions)', () => {
      // "exitCode" sorts before "name": nothing pins a container when absence is judged, so the
      // one exit code in the array fails every rule, as event-ruler's rulesForJSONEvent does.
      const event = withContainers(essentialExit, [{ name: 'app', exitCode: 0 }, { name: 'init' }]);
      const neverRan = (name: string) => ({
        detail: { containers: { name: [name], exitCode: [{ exists: false }] } },
      });

      expect(matchesPattern(neverRan('init'), event)).toBe(false);
      expect(matchesPattern(neverRan('app'), event)).toBe(false);
      expect(
        matchesPattern(neverRan('init'), withContainers(essentialExit, [{ name: 'init' }])),
      ).toBe(true);
    });

    it('judges exists false within the element a field sorted before it matched', () => {
      // "image" sorts before "reason": once it matched, absence is judged in that container only.
      const event = withContainers(essentialExit, [
        { image: 'app:1', reason: 'OutOfMemoryError' },
        { image: 'init:1' },
      ]);
      const quiet = (image: string) => ({
        detail: { containers: { image: [image], reason: [{ exists: false }] } },
      });

      expect(matchesPattern(quiet('init:1'), event)).toBe(true);
      expect(matchesPattern(quiet('app:1'), event)).toBe(false);
    });

    it('fails exists false when an element of a nested array holds the field', () => {
      const event = withContainers(essentialExit, [
        { name: 'app', networkInterfaces: [{ privateIpv4Address: '10.0.0.1' }] },
        { name: 'init', networkInterfaces: [] },
      ]);
      const pattern = {
        detail: { containers: { networkInterfaces: { privateIpv4Address: [{ exists: false }] } } },
      };

      expect(matchesPattern(pattern, event)).toBe(false);
      expect(matchesPattern(pattern, withContainers(essentialExit, [{ name: 'init' }]))).toBe(true);
    });

    it('treats an empty containers array like a missing field', () => {
      const event = withContainers(essentialExit, []);

      expect(matchesPattern(nonZeroExit, event)).toBe(false);
      expect(
        matchesPattern({ detail: { containers: { exitCode: [{ exists: false }] } } }, event),
      ).toBe(true);
    });
  });

  describe('leaf values', () => {
    it('matches if any pattern value matches (EventBridge User Guide, "Match values")', () => {
      const pattern = { source: ['aws.ec2', 'aws.fargate'] };

      expect(matchesPattern(pattern, { source: 'aws.fargate' })).toBe(true);
      expect(matchesPattern(pattern, { source: 'aws.ecs' })).toBe(false);
    });

    it('matches an event array when the intersection is non-empty ("Arrays" page)', () => {
      // Prepare
      const pattern = {
        resources: [
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
          'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        ],
      };
      const resources = [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:asg/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ];

      // Act & Assess
      expect(matchesPattern(pattern, { resources })).toBe(true);
      expect(matchesPattern(pattern, { resources: resources.slice(0, 1) })).toBe(false);
      expect(matchesPattern(pattern, { resources: [] })).toBe(false);
    });

    it('flattens nested event arrays', () => {
      expect(matchesPattern({ tags: ['b'] }, { tags: [['a'], [['b']]] })).toBe(true);
    });

    it.each([
      ['case-sensitive strings', ['Running'], 'running', false],
      ['an exact string', ['running'], 'running', true],
      ['a number', [80], 80, true],
      ['a number against its string form', [80], '80', false],
      ['a string against a number', ['80'], 80, false],
      ['a parsed 300.0 against 300', [300], JSON.parse('300.0'), true],
      ['a boolean', [true], true, true],
      ['a boolean against its string form', [true], 'true', false],
      ['null', [null], null, true],
      ['null against an empty string', [null], '', false],
      ['an empty string', [''], '', true],
      ['an empty string against null', [''], null, false],
    ])('matches %s', (_name, values, value, expected) => {
      expect(matchesPattern({ detail: { field: values } }, { detail: { field: value } })).toBe(
        expected,
      );
    });

    it('matches null only when the field is present and null ("Null values" page)', () => {
      const pattern = { detail: { responseElements: [null] } };

      expect(matchesPattern(pattern, { detail: { responseElements: null } })).toBe(true);
      expect(matchesPattern(pattern, { detail: {} })).toBe(false);
    });

    it('uses the last of repeated keys, as JSON.parse does ("Content filtering" note)', () => {
      // Prepare
      const pattern = JSON.parse(
        '{"detail":{"location":[{"prefix":"us-"}],"location":[{"anything-but":"us-east"}]}}',
      ) as EventPattern;

      // Act & Assess
      expect(matchesPattern(pattern, { detail: { location: 'eu-west' } })).toBe(true);
      expect(matchesPattern(pattern, { detail: { location: 'us-east' } })).toBe(false);
    });
  });

  describe('structure', () => {
    const pattern = {
      source: ['aws.ec2'],
      detail: { state: ['terminated'], trigger: { risk: [8] } },
    };

    it('matches nested objects and ignores fields the pattern does not name', () => {
      const event = {
        source: 'aws.ec2',
        id: 'x',
        detail: { state: 'terminated', other: 1, trigger: { risk: 8, extra: true } },
      };

      expect(matchesPattern(pattern, event)).toBe(true);
    });

    it.each([
      ['a missing top-level field', { detail: { state: 'terminated', trigger: { risk: 8 } } }],
      ['a missing nested field', { source: 'aws.ec2', detail: { state: 'terminated' } }],
      ['a missing parent object', { source: 'aws.ec2' }],
      ['a scalar where an object is expected', { source: 'aws.ec2', detail: 'terminated' }],
      ['an object where a leaf is expected', { source: { name: 'aws.ec2' }, detail: {} }],
    ])('does not match %s', (_name, event) => {
      expect(matchesPattern(pattern, event)).toBe(false);
    });

    it('does not read inherited properties', () => {
      expect(matchesPattern({ toString: [{ exists: true }] }, {})).toBe(false);
      expect(matchesPattern({ constructor: [{ exists: false }] }, {})).toBe(true);
    });
  });

  describe('exists', () => {
    it.each([
      ['a present field', { 'c-count': 5 }, true],
      ['a present null field', { 'c-count': null }, true],
      ['a missing field', {}, false],
      [
        'an object, which is not a leaf ("Content filtering", exists)',
        { 'c-count': { c1: 1 } },
        false,
      ],
      ['an empty array', { 'c-count': [] }, false],
      ['an array of values', { 'c-count': [1] }, true],
    ])('exists true on %s → %s', (_name, detail, expected) => {
      expect(matchesPattern({ detail: { 'c-count': [{ exists: true }] } }, { detail })).toBe(
        expected,
      );
      expect(matchesPattern({ detail: { 'c-count': [{ exists: false }] } }, { detail })).toBe(
        !expected,
      );
    });

    it('exists false holds when the parent object is missing too', () => {
      expect(matchesPattern({ detail: { 'c-count': [{ exists: false }] } }, { source: 'x' })).toBe(
        true,
      );
    });
  });

  describe('prefix and suffix', () => {
    it.each([
      [{ prefix: '2017-10-02' }, '2017-10-02T18:43:48Z', true],
      [{ prefix: '2017-10-02' }, '2017-10-03T18:43:48Z', false],
      [{ prefix: 'EventB' }, 'eventbridge', false],
      [{ prefix: { 'equals-ignore-case': 'EventB' } }, 'eventbridge', true],
      [{ prefix: { 'equals-ignore-case': 'EventB' } }, 'EVENTBRIDGE', true],
      [{ prefix: { 'equals-ignore-case': 'EventB' } }, 'Event', false],
      [{ suffix: '.png' }, 'image.png', true],
      [{ suffix: '.png' }, 'image.PNG', false],
      [{ suffix: { 'equals-ignore-case': '.png' } }, 'image.PNG', true],
      [{ suffix: { 'equals-ignore-case': '.png' } }, 'image.jpg', false],
      [{ prefix: '1' }, 123, false],
      [{ suffix: '' }, 'anything', true],
    ])('%j on %j → %s', (operator, value, expected) => {
      expect(matchesPattern({ field: [operator] }, { field: value })).toBe(expected);
    });
  });

  describe('equals-ignore-case', () => {
    it.each([
      ['alice', 'Alice', true],
      ['alice', 'ALICE', true],
      ['alice', 'alicia', false],
      ['true', true, false],
    ])('%s on %j → %s', (operand, value, expected) => {
      expect(matchesPattern({ name: [{ 'equals-ignore-case': operand }] }, { name: value })).toBe(
        expected,
      );
    });
  });

  describe('anything-but', () => {
    it.each([
      [{ 'anything-but': 'initializing' }, 'running', true],
      [{ 'anything-but': 'initializing' }, 'initializing', false],
      [{ 'anything-but': 'initializing' }, null, true],
      [{ 'anything-but': 123 }, 124, true],
      [{ 'anything-but': 123 }, 123, false],
      [{ 'anything-but': 123 }, '123', true],
      [{ 'anything-but': ['stopped', 'overloaded'] }, 'running', true],
      [{ 'anything-but': ['stopped', 'overloaded'] }, 'overloaded', false],
      [{ 'anything-but': [100, 200, 300] }, 250, true],
      [{ 'anything-but': [100, 200, 300] }, 200, false],
      [{ 'anything-but': { prefix: 'init' } }, 'running', true],
      [{ 'anything-but': { prefix: 'init' } }, 'initializing', false],
      [{ 'anything-but': { prefix: 'init' } }, 42, true],
      [{ 'anything-but': { suffix: '.png' } }, 'a.jpg', true],
      [{ 'anything-but': { suffix: '.png' } }, 'a.png', false],
      [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }, 'INITIALIZING', false],
      [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }, 'running', true],
      [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }, 'b', false],
      [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }, 'c', true],
      [{ 'anything-but': { wildcard: '*/lib/*' } }, '/usr/lib/x.so', false],
      [{ 'anything-but': { wildcard: '*/lib/*' } }, '/usr/bin/x', true],
      [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }, '/usr/bin/x', false],
    ])('%j on %j → %s', (operator, value, expected) => {
      expect(matchesPattern({ field: [operator] }, { field: value })).toBe(expected);
    });

    it('does not match a missing field', () => {
      expect(matchesPattern({ field: [{ 'anything-but': 'x' }] }, {})).toBe(false);
      expect(matchesPattern({ field: [{ 'anything-but': 'x' }] }, { field: {} })).toBe(false);
    });

    it('matches an event array holding any value outside the list', () => {
      const pattern = { tags: [{ 'anything-but': 'internal' }] };

      expect(matchesPattern(pattern, { tags: ['internal', 'public'] })).toBe(true);
      expect(matchesPattern(pattern, { tags: ['internal'] })).toBe(false);
    });
  });

  describe('numeric', () => {
    it.each([
      [['>', 0, '<=', 5], 5, true],
      [['>', 0, '<=', 5], 0, false],
      [['>=', 0, '<', 5], 0, true],
      [['>=', 0, '<', 5], 5, false],
      [['<', 10], 9.5, true],
      [['<', 10], 10, false],
      [['<=', 10], 10, true],
      [['>', 10], 10.000001, true],
      [['=', 3.018e2], 301.8, true],
      [['=', 300], JSON.parse('3.0e2'), true],
      [['=', 300], 301, false],
      [['>', 0], '5', false],
      [['>', 0], true, false],
      [['>', 0], 5e9, true],
      [['>', 0], 5.1e9, false],
      [['<', 0], -5.1e9, false],
    ])('%j on %j → %s', (comparison, value, expected) => {
      expect(matchesPattern({ count: [{ numeric: comparison }] }, { count: value })).toBe(expected);
    });

    it('matches if any element of an event array is in range', () => {
      expect(matchesPattern({ n: [{ numeric: ['>', 100] }] }, { n: [1, 2, 300] })).toBe(true);
    });
  });

  describe('cidr', () => {
    it.each([
      ['10.0.0.0/24', '10.0.0.255', true],
      ['10.0.0.0/24', '10.0.1.0', false],
      ['10.0.0.0/8', '10.200.3.4', true],
      ['10.0.0.7/24', '10.0.0.1', true],
      ['0.0.0.0/0', '192.168.1.1', true],
      ['10.0.0.0/24', 'not-an-ip', false],
      ['10.0.0.0/24', '10.0.0.256', false],
      ['10.0.0.0/24', 167772161, false],
      ['2001:db8::/32', '2001:db8:85a3::8a2e:370:7334', true],
      ['2001:db8::/32', '2001:0DB8:0000:0000:0000:0000:0000:0001', true],
      ['2001:db8::/32', '2001:db9::1', false],
      ['::ffff:0:0/96', '::ffff:10.0.0.1', true],
      ['2001:db8::/32', '10.0.0.1', false],
      ['10.0.0.0/8', '::ffff:10.0.0.1', false],
      ['fe80::/10', 'fe80::1%eth0', false],
    ])('%s contains %j → %s', (block, value, expected) => {
      expect(matchesPattern({ ip: [{ cidr: block }] }, { ip: value })).toBe(expected);
    });
  });

  describe('wildcard', () => {
    it.each([
      ['*.png', 'dir/image.png', true],
      ['*.png', 'image.png.bak', false],
      ['dir/*.png', 'dir/a/b.png', true],
      ['*Title*', 'The Title Page', true],
      ['*Title*', 'Title', true],
      ['a*b*c', 'abc', true],
      ['a*b*c', 'acb', false],
      ['a*bc*bc', 'abcbc', true],
      ['a*bc*bc', 'abc', false],
      ['*', '', true],
      ['exact', 'exact', true],
      ['exact', 'exactly', false],
      [String.raw`a\*b`, 'a*b', true],
      [String.raw`a\*b`, 'axb', false],
      [String.raw`\\*`, String.raw`\anything`, true],
      [String.raw`\\*`, 'anything', false],
      ['*', 5, false],
    ])('%s on %j → %s', (wildcard, value, expected) => {
      expect(matchesPattern({ path: [{ wildcard }] }, { path: value })).toBe(expected);
    });
  });

  describe('$or', () => {
    it('lets an alternative replace a field its parent names (event-ruler JsonRuleCompiler: the later write wins)', () => {
      // The parent's source comes first, so the first alternative's source replaces it.
      const later = {
        source: ['aws.ecs'],
        $or: [{ source: ['aws.ec2'] }, { 'detail-type': ['ECS Task State Change'] }],
      };
      // Written after the $or, the parent's source replaces the alternative's: the first alternative
      // becomes source aws.ecs alone.
      const earlier = {
        $or: [{ source: ['aws.ec2'] }, { 'detail-type': ['ECS Task State Change'] }],
        source: ['aws.ecs'],
      };
      const ec2 = { source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification' };
      const ecsTask = { source: 'aws.ecs', 'detail-type': 'ECS Task State Change' };
      const ecsOther = { source: 'aws.ecs', 'detail-type': 'ECS Service Action' };

      expect(matchesPattern(later, ec2)).toBe(true);
      expect(matchesPattern(later, ecsTask)).toBe(true);
      expect(matchesPattern(later, ecsOther)).toBe(false);
      expect(matchesPattern(earlier, ec2)).toBe(false);
      expect(matchesPattern(earlier, ecsTask)).toBe(true);
      expect(matchesPattern(earlier, ecsOther)).toBe(true);
    });

    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        {
          metricType: ['MetricType'],
          namespace: ['AWS/EC2', 'AWS/ES'],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
      ],
    };

    it.each([
      ['the first alternative', { source: 'aws.cloudwatch', metricName: 'ReadLatency' }, true],
      [
        'the second alternative and its nested $or',
        { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1000 },
        true,
      ],
      [
        'the second alternative without its nested $or',
        { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' },
        false,
      ],
      ['no alternative', { source: 'aws.cloudwatch', metricName: 'Other' }, false],
      ['an alternative without the shared field', { metricName: 'ReadLatency' }, false],
    ])('matches %s → %s', (_name, event, expected) => {
      expect(matchesPattern(pattern, event)).toBe(expected);
    });

    it('works inside nested objects', () => {
      const nested = {
        detail: { $or: [{ stopCode: ['SpotInterruption'] }, { lastStatus: ['STOPPED'] }] },
      };

      expect(matchesPattern(nested, spotInterruption)).toBe(true);
      expect(matchesPattern(nested, fargateRunning)).toBe(false);
    });
  });

  describe('totality', () => {
    const pattern = stoppedNotScaleIn;

    it.each([
      ['undefined', undefined],
      ['null', null],
      ['a string', 'aws.ecs'],
      ['a number', 0],
      ['an array', [essentialExit]],
      ['a function', () => essentialExit],
    ])('returns false for %s', (_name, event) => {
      expect(matchesPattern(pattern, event)).toBe(false);
    });

    it('returns false when reading the event throws', () => {
      // Prepare
      const hostile = {
        source: 'aws.ecs',
        get 'detail-type'(): string {
          throw new Error('boom');
        },
      };

      // Act & Assess
      expect(matchesPattern(pattern, hostile)).toBe(false);
    });

    it('terminates on an array that contains itself', () => {
      const loop: unknown[] = ['a'];
      loop.push(loop);

      expect(matchesPattern({ tags: ['a'] }, { tags: loop })).toBe(true);
      expect(matchesPattern({ tags: { name: [{ exists: false }] } }, { tags: loop })).toBe(true);
    });
  });

  describe('invalid patterns', () => {
    it('throws naming the JSON path', () => {
      expect(() => matchesPattern({ detail: { state: [{ contains: 'x' }] } }, {})).toThrow(
        '$.detail.state[0].contains: unknown operator "contains"',
      );
    });

    it('compiles once and reuses the predicate', () => {
      const matches = compilePattern(deploymentErrors);

      expect([deploymentFailed, deploymentCompleted].map(matches)).toEqual([true, false]);
    });
  });
});

describe('Function: validatePattern', () => {
  it.each([
    ['stopped tasks (community default)', stoppedNotScaleIn],
    ['deployment errors (community default)', deploymentErrors],
    ['service warnings (community default)', serviceWarnings],
    ['non-zero container exit', nonZeroExit],
    [
      'every operator',
      {
        a: [{ prefix: 'x' }, { prefix: { 'equals-ignore-case': 'x' } }],
        b: [{ suffix: 'x' }, { suffix: { 'equals-ignore-case': 'x' } }],
        c: [{ 'equals-ignore-case': 'x' }, { wildcard: String.raw`a\*b*c\\` }],
        d: [{ 'anything-but': 'x' }, { 'anything-but': [1, 2] }, { 'anything-but': ['x'] }],
        e: [{ 'anything-but': { prefix: 'x' } }, { 'anything-but': { suffix: 'x' } }],
        f: [{ 'anything-but': { 'equals-ignore-case': ['x'] } }],
        g: [{ 'anything-but': { wildcard: ['*x*', 'y*'] } }],
        h: [{ numeric: ['=', 1] }, { numeric: ['>', -5e9, '<=', 5e9] }],
        i: [{ cidr: '10.0.0.0/8' }, { cidr: '2001:db8::/32' }, { exists: true }],
        j: ['', null, true, 0],
        $or: [{ k: [{ exists: false }] }, { l: { m: ['n'] } }],
      },
    ],
  ])('accepts %s', (_name, pattern) => {
    expect(validatePattern(pattern)).toEqual([]);
  });

  it.each([
    ['a non-object pattern', ['aws.ecs'], '$: an event pattern is a JSON object, got an array'],
    ['a leaf that is not an array', { source: 'aws.ecs' }, '$.source: must be an array'],
    ['an unknown operator', { s: [{ contains: 'x' }] }, '$.s[0].contains: unknown operator'],
    ['two operators in one object', { s: [{ prefix: 'a', suffix: 'b' }] }, 'exactly one operator'],
    ['a nested array as a value', { s: [['a']] }, '$.s[0]: match values are'],
    ['exists that is not a boolean', { s: [{ exists: 'yes' }] }, '$.s[0].exists: exists takes'],
    [
      'exists not on a leaf',
      { detail: { exists: false } },
      '$.detail.exists: must be an array of match values or a nested object, got boolean; "exists" is an operator',
    ],
    [
      'anything-but with a list of prefixes',
      { s: [{ 'anything-but': { prefix: ['a', 'b'] } }] },
      '$.s[0].anything-but.prefix: anything-but takes a single prefix, not a list',
    ],
    [
      'anything-but with an empty prefix',
      { s: [{ 'anything-but': { prefix: '' } }] },
      'non-empty prefix',
    ],
    ['anything-but with mixed types', { s: [{ 'anything-but': ['a', 1] }] }, 'only strings or'],
    ['anything-but with an empty list', { s: [{ 'anything-but': [] }] }, 'only strings or'],
    ['anything-but null', { s: [{ 'anything-but': null }] }, 'anything-but takes a string'],
    [
      'anything-but numeric',
      { s: [{ 'anything-but': { numeric: ['>', 1] } }] },
      'anything-but does not take "numeric"',
    ],
    ['a numeric range with bounds reversed', { n: [{ numeric: ['>', 5, '<', 1] }] }, 'is empty'],
    [
      'a numeric range upper bound first',
      { n: [{ numeric: ['<', 5, '>', 1] }] },
      'lower then an upper bound',
    ],
    ['a numeric operator that does not exist', { n: [{ numeric: ['!=', 1] }] }, '"!="'],
    ['a numeric with three terms', { n: [{ numeric: ['>', 1, '<'] }] }, 'numeric takes'],
    ['a numeric string bound', { n: [{ numeric: ['>', '1'] }] }, 'must be a number, got string'],
    ['a numeric bound past 5e9', { n: [{ numeric: ['<', 6e9] }] }, 'outside -5e9..5e9'],
    ['a cidr without a mask', { ip: [{ cidr: '10.0.0.1' }] }, '$.ip[0].cidr: cidr takes'],
    ['a cidr mask too long', { ip: [{ cidr: '10.0.0.0/33' }] }, 'cidr takes'],
    ['a cidr on a host name', { ip: [{ cidr: 'example.com/8' }] }, 'cidr takes'],
    ['a full-length IPv4 mask', { ip: [{ cidr: '10.0.0.1/32' }] }, 'refuses a /32 mask'],
    ['consecutive wildcards', { p: [{ wildcard: 'a**b' }] }, 'consecutive wildcard characters'],
    ['a bad wildcard escape', { p: [{ wildcard: String.raw`a\b` }] }, 'invalid escape'],
    ['a wildcard list outside anything-but', { p: [{ wildcard: ['a*'] }] }, 'takes a string'],
    ['a prefix that is a number', { p: [{ prefix: 1 }] }, 'prefix takes a string'],
    ['a suffix with another operator', { p: [{ suffix: { wildcard: 'x' } }] }, 'suffix takes'],
    ['equals-ignore-case on a number', { p: [{ 'equals-ignore-case': 1 }] }, 'takes a string'],
    ['$or that is not an array', { $or: { a: ['b'] } }, '$.$or: $or takes an array'],
    ['$or with one alternative', { $or: [{ a: ['b'] }] }, 'at least two alternatives'],
    ['$or holding a leaf', { $or: [{ a: ['b'] }, ['c']] }, '$.$or[1]: $or alternatives'],
    ['an operator name inside $or', { $or: [{ prefix: ['a'] }, { b: ['c'] }] }, 'operator name'],
    ['an empty leaf', { source: [] }, '$.source: empty arrays are not allowed'],
    ['an empty pattern', {}, '$: empty objects are not allowed'],
    ['an empty nested object', { detail: {} }, '$.detail: empty objects are not allowed'],
    ['a key that needs quoting', { 'a.b': 'x' }, '$["a.b"]: must be an array'],
  ])('reports %s', (_name, pattern, expected) => {
    expect(validatePattern(pattern).join('\n')).toContain(expected);
  });

  it('reports every problem, not just the first', () => {
    expect(validatePattern({ a: 'x', b: [{ nope: 1 }], c: [] })).toHaveLength(3);
  });
});

describe('Properties', () => {
  const isPlainObject = (value: unknown): boolean =>
    typeof value === 'object' && value !== null && !Array.isArray(value);

  const validPatterns: EventPattern[] = [
    stoppedNotScaleIn,
    deploymentErrors,
    nonZeroExit,
    { a: [{ exists: false }], b: { c: [{ exists: true }] } },
    { a: [{ numeric: ['>', 0, '<=', 5] }, { cidr: '10.0.0.0/8' }, { cidr: '::/0' }] },
    { a: [{ wildcard: '*x*' }, { 'anything-but': { wildcard: ['*'] } }, null, '', 0] },
    {
      $or: [
        { a: [{ prefix: { 'equals-ignore-case': 'x' } }] },
        { b: { $or: [{ c: [1] }, { d: [{ exists: false }] }] } },
      ],
    },
  ];

  it('uses patterns that are all valid', () => {
    expect(validPatterns.flatMap(validatePattern)).toEqual([]);
  });

  it('the empty pattern names no field, so it matches every JSON object and nothing else', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (event) => {
        expect(matchesPattern({}, event)).toBe(isPlainObject(event));
      }),
    );
  });

  it('never throws on any event and always answers a boolean', () => {
    fc.assert(
      fc.property(fc.constantFrom(...validPatterns), fc.anything(), (pattern, event) => {
        expect(typeof matchesPattern(pattern, event)).toBe('boolean');
      }),
    );
  });

  it('validates any JSON without throwing, and accepted patterns always match safely', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (pattern, event) => {
        const problems = validatePattern(pattern);
        expect(problems.every((problem) => typeof problem === 'string')).toBe(true);
        if (problems.length === 0) {
          expect(typeof matchesPattern(pattern as EventPattern, event)).toBe('boolean');
        }
      }),
    );
  });

  it('an exact value matches itself and anything-but of it does not', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(value, (x) => {
        expect(matchesPattern({ f: [x] }, { f: x })).toBe(true);
        expect(matchesPattern({ f: [{ 'anything-but': x }] }, { f: x })).toBe(false);
        expect(matchesPattern({ f: [{ 'anything-but': x }] }, { f: [x, `${x}!`] })).toBe(true);
      }),
    );
  });

  it('an escaped literal followed by * matches that literal plus any suffix', () => {
    const escapeWildcard = (text: string): string => text.replace(/[\\*]/g, String.raw`\$&`);
    fc.assert(
      fc.property(fc.string(), fc.string(), (head, tail) => {
        expect(
          matchesPattern({ f: [{ wildcard: `${escapeWildcard(head)}*` }] }, { f: head + tail }),
        ).toBe(true);
        expect(matchesPattern({ f: [{ prefix: head }] }, { f: head + tail })).toBe(true);
      }),
    );
  });
});
