import { describe, expect, it } from 'vitest';
import { escapeClip, safeLine } from '#alerts/formats/text.ts';
import { explainPlacementReason, serviceEventGuide } from '#alerts/service-events/catalog.ts';
import { deploymentThreadId } from '#kernel/alerts/threads.ts';
import { parseArn, serviceFromArn, taskDefinitionRef, taskFromArn } from '#kernel/events/arn.ts';
import { classifyStoppedTask } from '#kernel/events/stopped-task.ts';
import type { TaskDetail } from '#kernel/events/task-state-change.ts';
import { classifyFailure } from '#kernel/failures.ts';
import { matchesIamPattern } from '#kernel/scope.ts';
import { redactSecrets } from '#kernel/secrets.ts';

/** 256 KB (EventBridge's event size) of a unit repeated after a prefix: a matcher's worst case. */
const fill = (unit: string, prefix = '', suffix = ''): string =>
  `${prefix}${unit.repeat(Math.ceil(262_144 / unit.length))}`.slice(0, 262_144 - suffix.length) +
  suffix;

const stopped = (stoppedReason: string, stopCode?: string): TaskDetail =>
  ({
    clusterArn: 'arn:aws:ecs:us-east-1:111122223333:cluster/prod',
    lastStatus: 'STOPPED',
    stopCode,
    stoppedReason,
    containers: [{ name: 'app', exitCode: 1 }],
  }) as TaskDetail;

// Behaviour on the inputs the benchmark (npm run bench, "hostile text") times.
describe('Classifiers and matchers on 256 KB of event text', () => {
  it('classify stopped tasks by their reasons, however long', () => {
    // Assess
    expect(
      classifyStoppedTask(stopped(fill('a ', 'Task failed '), 'ServiceSchedulerInitiated'))?.kind,
    ).toBe('scheduler-stopped');
    expect(classifyStoppedTask(stopped(fill('x', 'Task failed ELB health checks ')))?.kind).toBe(
      'health-check-failed',
    );
    expect(classifyStoppedTask(stopped(fill('CannotPullContainer')))?.kind).toBe('unknown');
    expect(classifyStoppedTask(stopped(fill('x', 'CannotPullContainerError: ')))?.kind).toBe(
      'failed-to-start',
    );
    expect(classifyStoppedTask(stopped(fill('spot ')))?.kind).toBe('unknown');
  });

  it('read ARNs and task definitions with colons and slashes repeated', () => {
    // Assess
    expect(taskDefinitionRef(fill(':1', 'web', ':7'))).toMatchObject({ revision: 7 });
    expect(taskDefinitionRef(fill(':1', 'web', 'x')).revision).toBeUndefined();
    expect(parseArn(fill(':', 'arn:aws:ecs:us-east-1:1:'))?.resource.length).toBe(262_144 - 24);
    expect(serviceFromArn(fill('a/', 'arn:aws:ecs:us-east-1:1:service/'))).toMatchObject({
      cluster: 'a',
    });
    expect(taskFromArn(fill('/', 'arn:aws:ecs:us-east-1:1:task/c/', 'id'))).toMatchObject({
      cluster: 'c',
      taskId: 'id',
    });
  });

  it('name the missing permission from an AccessDenied message of 256 KB', () => {
    // Prepare
    const denied = Object.assign(
      new Error(
        fill(
          'x',
          'User: arn:aws:sts::1:assumed-role/hm/fn is not authorized to perform: ecs:StopTask on resource: arn:aws:ecs:us-east-1:1:task/prod/abc because ',
        ),
      ),
      { name: 'AccessDeniedException' },
    );
    // Assess
    expect(classifyFailure(denied).missing).toBe(
      'permission ecs:StopTask on arn:aws:ecs:us-east-1:1:task/prod/abc',
    );
  });

  it('find no guide or placement reason in a long unknown name, and keep thread ids short', () => {
    // Assess
    expect(serviceEventGuide(fill('SERVICE_')).headline).toBe('reported a problem');
    expect(explainPlacementReason(fill('x', 'RESOURCE:CPU'))).toBe(
      'not enough CPU left on the registered container instances',
    );
    expect(deploymentThreadId(fill('!a'), fill('-'), fill('ecs-svc/')).length).toBeLessThan(800);
  });

  it('redact a 256 KB webhook URL whole, and escape and clip 256 KB of mentions', () => {
    // Assess
    expect(redactSecrets(fill('a', 'see https://hooks.slack.com/'))).toBe(
      'see https://hooks.slack.com/[redacted]',
    );
    const clipped = escapeClip(safeLine(fill('<!channel>\n')), 3_000);
    expect(clipped.length).toBeLessThanOrEqual(3_000);
    expect(clipped).not.toContain('<');
    expect(clipped).not.toContain('\n');
  });

  it('match IAM wildcards against 256 KB names', () => {
    // Assess
    expect(matchesIamPattern(fill('a'), `${'*a'.repeat(16)}*b`)).toBe(false);
    expect(matchesIamPattern(fill('a', '', 'b'), `${'*a'.repeat(16)}*b`)).toBe(true);
  });
});
