import { describe, expect, it } from 'vitest';
import { parseEvent } from '#kernel/events/parse.ts';
import type { StopKind } from '#kernel/events/stopped-task.ts';
import type { TaskFacts } from '#kernel/events/task-facts.ts';
import { fixture, type Json, stoppedTask } from '#support/events.ts';

const factsOf = (raw: Json): TaskFacts => {
  const event = parseEvent(raw);
  if (event.kind !== 'task-state-change')
    throw new Error(`expected a task event, got ${event.kind}`);
  return event.task;
};

const GUARDDUTY_SIDECAR = {
  name: 'aws-guardduty-agent-FvWGoDU',
  lastStatus: 'STOPPED',
  exitCode: 1,
};

describe('Function: classifyStoppedTask', () => {
  describe('on real events', () => {
    it('scale-in with exit 137 is the scheduler stopping the task, not a failure', () => {
      // Act
      const { stop } = factsOf(fixture('task-stopped-fargate-service-scalein-exit137-arkime'));
      // Assess
      expect(stop).toMatchObject({
        kind: 'scheduler-stopped',
        failure: false,
        stopCode: 'ServiceSchedulerInitiated',
      });
      expect(stop?.essentialExits).toStrictEqual([
        { name: 'FargateContainer', exitCode: 137, reason: undefined },
      ]);
    });

    it('a RunTask task whose essential container exited 0 (2018, no stopCode) exited cleanly', () => {
      // Act
      const { stop } = factsOf(fixture('task-stopped-essential-exit0-ec2-runtask-maasglobal'));
      // Assess
      expect(stop).toMatchObject({ kind: 'exited', failure: false, stopCode: undefined });
    });

    it('a Fargate Spot termination notice is a Spot interruption while the task still runs', () => {
      // Act
      const { stop } = factsOf(fixture('task-spot-interruption-SNIPPET-docs'));
      // Assess
      expect(stop).toMatchObject({ kind: 'spot-interruption', failure: false });
    });

    it('a running task has no classification', () => {
      // Assess
      expect(factsOf(fixture('task-running-fargate-service-arkime')).stop).toBeUndefined();
    });
  });

  // Variants derived from the real arkime STOPPED event by changing the stop fields to the values
  // reference/ecs-events-and-apis.md documents for each case.
  const cases: [string, Parameters<typeof stoppedTask>[0], StopKind, boolean][] = [
    [
      'image pull failure (TaskFailedToStart)',
      {
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
        exitCode: undefined,
      },
      'failed-to-start',
      true,
    ],
    [
      'secrets not retrievable, with no stopCode (older agent)',
      {
        stopCode: undefined,
        stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth',
        exitCode: undefined,
      },
      'failed-to-start',
      true,
    ],
    [
      'crash after running (essential container exit 1)',
      {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        exitCode: 1,
      },
      'crashed',
      true,
    ],
    [
      'killed by SIGKILL while the essential container exited (exit 137, no OOM reason)',
      {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        exitCode: 137,
      },
      'crashed',
      true,
    ],
    [
      'out of memory',
      {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        exitCode: 137,
        containerReason: 'OutOfMemoryError: Container killed due to memory usage',
      },
      'out-of-memory',
      true,
    ],
    [
      'ELB health check kill (exit 143)',
      {
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason:
          'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/web/0123456789abcdef)',
        exitCode: 143,
      },
      'health-check-failed',
      true,
    ],
    [
      'container health check kill',
      {
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'Task failed container health checks',
        exitCode: 143,
      },
      'health-check-failed',
      true,
    ],
    [
      'deployment replacement with exit 143',
      {
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1234567890123456789)',
        exitCode: 143,
      },
      'scheduler-stopped',
      false,
    ],
    [
      'StopTask with the default reason',
      { stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user', exitCode: 143 },
      'user-stopped',
      false,
    ],
    [
      'StopTask with a custom reason',
      {
        stopCode: 'UserInitiated',
        stoppedReason: 'Harbormaster: policy no-privileged-containers',
        exitCode: 137,
      },
      'user-stopped',
      false,
    ],
    [
      'Spot interruption after stopping',
      {
        stopCode: 'SpotInterruption',
        stoppedReason: 'Your Spot Task was interrupted.',
        exitCode: 143,
      },
      'spot-interruption',
      false,
    ],
    [
      'Fargate Spot with the older TerminationNotice code',
      {
        stopCode: 'TerminationNotice',
        stoppedReason: 'Your Spot Task was interrupted.',
        exitCode: 143,
      },
      'spot-interruption',
      false,
    ],
    [
      'host instance terminated',
      {
        stopCode: 'TerminationNotice',
        stoppedReason: 'Host EC2 (instance i-0123456789abcdef0) terminated.',
        exitCode: 137,
      },
      'infrastructure',
      false,
    ],
    [
      'infrastructure health replacement',
      {
        stopCode: 'InfrastructureHealth',
        stoppedReason:
          'ECS is performing maintenance on the underlying infrastructure hosting the task',
        exitCode: 143,
      },
      'infrastructure',
      false,
    ],
    [
      'batch task that exited 0 with a stopCode',
      {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        exitCode: 0,
      },
      'exited',
      false,
    ],
    [
      'crash reported without stopCode (older agent)',
      { stopCode: undefined, stoppedReason: 'Essential container in task exited', exitCode: 2 },
      'crashed',
      true,
    ],
    [
      'an unknown stop reason without stopCode',
      { stopCode: undefined, stoppedReason: 'Something ECS will say one day', exitCode: 0 },
      'unknown',
      false,
    ],
  ];

  it.each(cases)('%s', (_label, changes, kind, failure) => {
    // Act
    const { stop } = factsOf(stoppedTask(changes));
    // Assess
    expect(stop?.kind).toBe(kind);
    expect(stop?.failure).toBe(failure);
  });

  it('ignores an AWS-injected sidecar exiting non-zero when the essential container exited 0', () => {
    // Prepare
    const raw = stoppedTask({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      exitCode: 0,
      extraContainers: [GUARDDUTY_SIDECAR],
    });
    // Act
    const { stop } = factsOf(raw);
    // Assess
    expect(stop?.kind).toBe('exited');
    expect(stop?.essentialExits.map((c) => c.name)).toStrictEqual(['FargateContainer']);
  });
});

describe('Function: taskFacts', () => {
  it('reads service, deployment and task definition from a real service task', () => {
    // Act
    const facts = factsOf(fixture('task-running-fargate-service-arkime'));
    // Assess
    expect(facts).toMatchObject({
      cluster: 'DemoTrafficGen01-ClusterEB0386A7-sCRgDrfn5BP9',
      service: 'DemoTrafficGen01-ServiceD69D759B-EfyMIBhdCKVk',
      deploymentId: 'ecs-svc/8646900195280463695',
      family: 'DemoTrafficGen01TaskDef59B414B2',
      revision: 10,
      taskId: 'c50e321c974248dbaf4ae2cfa1662986',
      version: 3,
    });
  });

  it('handles the old task ARN format (no cluster in the ARN)', () => {
    // Act
    const facts = factsOf(fixture('task-stopped-essential-exit0-ec2-runtask-maasglobal'));
    // Assess
    expect(facts).toMatchObject({
      cluster: 'my-cluster-name',
      taskId: '037d58fc-e5f6-4e95-ac1f-3ce533bb2abb',
      service: undefined,
      deploymentId: undefined,
      family: 'example-ecs-events-ec2',
    });
  });

  it('takes the task ARN from resources when a trimmed capture omits it', () => {
    // Act
    const facts = factsOf(fixture('task-provisioning-service-TRIMMED-autoptic'));
    // Assess
    expect(facts).toMatchObject({
      taskId: '14fb0529267b42c58f411ea814184102',
      service: 'mcp',
      deploymentId: 'ecs-svc/2757582648257641111',
    });
  });

  it('reads the deployment but no service from the 2016 doc example whose group is "task-group"', () => {
    // Act
    const facts = factsOf(fixture('task-running-ec2-service-docs-2016'));
    // Assess
    expect(facts).toMatchObject({
      service: undefined,
      deploymentId: 'ecs-svc/9223370556150183303',
    });
  });

  it('accepts a task definition ARN without revision, as the 2025 EC2 doc example has', () => {
    // Act
    const facts = factsOf(fixture('task-running-ec2-docs-2025'));
    // Assess
    expect(facts).toMatchObject({ family: 'webserver', revision: undefined, cluster: 'example' });
  });

  it('does not take a RunTask startedBy for a deployment', () => {
    // Act
    const facts = factsOf(
      stoppedTask({ startedBy: 'harbormaster/nightly-report', group: 'family:report' }),
    );
    // Assess
    expect(facts).toMatchObject({
      deploymentId: undefined,
      service: undefined,
      startedBy: 'harbormaster/nightly-report',
    });
  });
});
