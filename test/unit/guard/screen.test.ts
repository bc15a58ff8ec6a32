import { describe, expect, it } from 'vitest';
import { deploymentGuard } from '#functions/deployment-guard/definition.ts';
import { invoke } from '#kernel/invoke.ts';
import { fixture, withDetail } from '#support/events.ts';
import { fakeRuntime } from '#support/fakes.ts';

// The screen runs once, in the pipeline, before load: these events must cost no AWS call at all.
describe('Function: deploymentGuard.screen, through the invocation pipeline', () => {
  it.each([
    // A scale-in: ECS stopped the task on purpose (ServiceSchedulerInitiated, exit 137).
    [
      'a task the service scheduler stopped',
      fixture('task-stopped-fargate-service-scalein-exit137-arkime'),
      /not a failure of the deployment/,
    ],
    [
      'a user-initiated stop',
      withDetail('task-stopped-fargate-service-scalein-exit137-arkime', {
        stopCode: 'UserInitiated',
        stoppedReason: 'Task stopped by user',
      }),
      /not a failure of the deployment/,
    ],
    ['a task that is running', fixture('task-running-fargate-service-arkime'), /not STOPPED/],
    [
      'an alarm back to OK',
      withDetail('cloudwatch-alarm-state-change-single-metric-docs', {
        state: {
          value: 'OK',
          reason: 'Threshold Crossed',
          timestamp: '2019-10-02T17:20:48.551+0000',
        },
      }),
      /not ALARM/,
    ],
  ])('ignores %s without calling ECS, CloudWatch or its table', async (_label, event, reason) => {
    // Prepare
    const { runtime, ports, ecsCalls, guardStore } = fakeRuntime();
    const historyCalls: string[] = [];
    const history = guardStore.history.bind(guardStore);
    guardStore.history = (cluster, service) => {
      historyCalls.push(`${cluster}/${service}`);
      return history(cluster, service);
    };
    // Act
    const result = await invoke(deploymentGuard, event, runtime, ports);
    // Assess
    expect(result).toMatchObject({ outcome: 'ignored', reason: expect.stringMatching(reason) });
    expect(ecsCalls).toStrictEqual([]);
    expect(historyCalls).toStrictEqual([]);
  });
});
