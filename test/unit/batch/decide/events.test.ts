import { describe, expect, it } from 'vitest';
import { parseBatchEvent } from '#batch/batch-event.ts';
import { InvalidEventError } from '#kernel/errors.ts';
import { fixture, stoppedTask } from '#support/events.ts';

const schedulerPayload = (schedule: string, time = '2026-11-21T02:30:00Z') => ({
  ...fixture('scheduler-default-payload-powertools'),
  time,
  resources: [`arn:aws:scheduler:eu-central-1:123456789012:schedule/harbormaster-prod/${schedule}`],
});

describe('Batch jobs: what the function is invoked with', () => {
  it('reads EventBridge Scheduler\u2019s default payload (detail is the string "{}") as a job\u2019s schedule firing', () => {
    // Act
    const event = parseBatchEvent(schedulerPayload('nightly-report'));
    // Assess
    expect(event).toMatchObject({
      kind: 'start',
      trigger: 'schedule',
      job: 'nightly-report',
      runKey: '20261121T023000Z',
      scheduledAt: new Date('2026-11-21T02:30:00Z'),
      where: { account: '533568316194', region: 'us-east-1' },
    });
  });

  it('reads the check schedule as the periodic check', () => {
    // Assess
    expect(parseBatchEvent(schedulerPayload('_sweep'))).toMatchObject({
      kind: 'sweep',
      at: new Date('2026-11-21T02:30:00Z'),
    });
  });

  it.each([
    [
      'a classic EventBridge scheduled rule',
      fixture('scheduled-event-eventbridge-rule-docs'),
      'not an EventBridge Scheduler schedule',
    ],
    [
      'a service task (startedBy ecs-svc/...)',
      fixture('task-stopped-fargate-service-scalein-exit137-arkime'),
      'the task was not started by Harbormaster',
    ],
  ])('ignores %s', (_label, raw, reason) => {
    // Act
    const event = parseBatchEvent(raw);
    // Assess
    expect(event.kind).toBe('unrelated');
    expect(event.kind === 'unrelated' && event.reason).toContain(reason);
  });

  it('reads a stopped task Harbormaster launched as belonging to its stage, job and run', () => {
    // Act
    const event = parseBatchEvent(
      stoppedTask({
        startedBy: 'harbormaster/prod/nightly-report/20261121T023000Z',
        group: 'family:report',
        exitCode: 0,
      }),
    );
    // Assess
    expect(event).toMatchObject({
      kind: 'task-stopped',
      namespace: 'prod',
      job: 'nightly-report',
      runKey: '20261121T023000Z',
    });
  });

  it('reads a run-now request and names its bad fields', () => {
    // Assess
    expect(
      parseBatchEvent({ runJob: { job: 'nightly-report', requestedAt: '2026-11-21T14:03:27Z' } }),
    ).toMatchObject({
      kind: 'start',
      trigger: 'manual',
      runKey: '20261121T140300Z-manual',
    });
    expect(() =>
      parseBatchEvent({ runJob: { job: 'no such job!', requestedAt: 'yesterday' } }),
    ).toThrow(InvalidEventError);
    try {
      parseBatchEvent({ runJob: { job: 'no such job!', requestedAt: 'yesterday' } });
    } catch (error) {
      expect((error as InvalidEventError).issues.map((i) => i.path).sort()).toStrictEqual([
        'runJob.job',
        'runJob.requestedAt',
      ]);
    }
  });
});
