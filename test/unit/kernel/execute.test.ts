import { describe, expect, it } from 'vitest';
import { notifyRunner } from '#alerts/notify.ts';
import {
  type ServiceEventAction,
  serviceEventAlertRenderers,
} from '#alerts/service-events/actions.ts';
import { PermanentError, TransientError } from '#kernel/errors.ts';
import { execute } from '#kernel/execute.ts';
import { standaloneInvocation } from '#kernel/invocation.ts';
import { fakePorts, RecordingChannel, recordingTelemetry } from '#support/fakes.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const RUNNERS = { notify: notifyRunner(serviceEventAlertRenderers) };

const notify = (
  severity: 'info' | 'warning' | 'error' = 'error',
  key = 'k1',
): ServiceEventAction => ({
  type: 'notify',
  alert: {
    kind: 'service-event',
    severity,
    subject: { account: '111122223333', region: 'us-west-2', cluster: 'default', service: 'web' },
    occurredAt: NOW.toISOString(),
    threadId: 'ecs-default-web',
    dedup: { key, windowSeconds: 600 },
    eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
    eventType: 'ERROR',
    reason: 'RESOURCE:CPU',
    capacityProviders: [],
    containerInstances: [],
    tasks: [],
  },
});

const setup = (
  channels = [new RecordingChannel('sns'), new RecordingChannel('slack', 'warning')],
) => {
  const fakes = fakePorts({ channels });
  const recorded = recordingTelemetry();
  const run = (
    actions: ServiceEventAction[],
    options: { dryRun?: boolean; now?: Date; requestId?: string } = {},
  ) =>
    execute(actions, RUNNERS, {
      ports: fakes.ports,
      telemetry: recorded.telemetry,
      now: options.now ?? NOW,
      dryRun: options.dryRun ?? false,
      invocation: {
        ...standaloneInvocation(() => options.now ?? NOW),
        ...(options.requestId
          ? { requestId: options.requestId, attemptId: `${options.requestId}/${Math.random()}` }
          : {}),
      },
      leases: fakes.leases,
      clock: () => options.now ?? NOW,
    });
  return { channels, run, ...fakes, ...recorded };
};

describe('Function: execute', () => {
  it('sends an alert to every channel whose minimum severity it meets', async () => {
    // Prepare
    const { run, channels } = setup();
    // Act
    const [result] = await run([notify('info')]);
    // Assess
    expect(result).toMatchObject({
      type: 'notify',
      status: 'done',
      detail: 'sns: sent, slack: below-minimum-severity',
    });
    expect(channels[0]?.sent).toHaveLength(1);
    expect(channels[1]?.sent).toHaveLength(0);
  });

  it('sends an alert routed to some channels only to those', async () => {
    // Prepare
    const { run, channels } = setup();
    const routed = notify('error');
    routed.alert.channels = ['slack'];
    // Act
    const [result] = await run([routed]);
    // Assess
    expect(result).toMatchObject({ status: 'done', detail: 'sns: not-routed, slack: sent' });
    expect(channels[0]?.sent).toHaveLength(0);
    expect(channels[1]?.sent).toHaveLength(1);
  });

  it('in dry-run, returns what it would do and sends nothing', async () => {
    // Prepare
    const { run, channels, counts, leases } = setup();
    // Act
    const [result] = await run([notify()], { dryRun: true });
    // Assess
    expect(result).toMatchObject({
      status: 'dry-run',
      detail: expect.stringMatching(/^would alert \(error\) "default\/web cannot place tasks/),
    });
    expect(channels.flatMap((c) => c.sent)).toHaveLength(0);
    expect(leases.records).toHaveLength(0);
    expect(counts.DryRunActions).toBe(1);
  });

  it('sends a repeated alert once per channel within its window, and again after it', async () => {
    // Prepare
    const { run, channels, counts } = setup();
    // Act
    await run([notify()]);
    const repeat = await run([notify()], { now: new Date(NOW.getTime() + 599_000) });
    const later = await run([notify()], { now: new Date(NOW.getTime() + 601_000) });
    // Assess
    expect(repeat[0]).toMatchObject({
      status: 'skipped',
      detail: 'sns: duplicate, slack: duplicate',
    });
    expect(later[0]).toMatchObject({ status: 'done' });
    expect(channels[0]?.sent).toHaveLength(2);
    expect(counts.AlertsDeduplicated).toBe(2);
  });

  it('gives a failed delivery back, so that the retry sends only there', async () => {
    // Prepare
    const { run, channels } = setup();
    const [sns, slack] = channels as [RecordingChannel, RecordingChannel];
    slack.failWith = new TransientError('Slack webhook failed: HTTP 503');
    // Act
    await expect(run([notify()], { requestId: 'r-1' })).rejects.toThrow('HTTP 503');
    slack.failWith = undefined;
    const [retry] = await run([notify()], { requestId: 'r-1' });
    // Assess
    expect(retry).toMatchObject({ detail: 'sns: duplicate, slack: sent' });
    expect(sns.sent).toHaveLength(1);
    expect(slack.sent).toHaveLength(1);
  });

  it('does not let a channel that rejects the alert for good stop the others or fail the invocation', async () => {
    // Prepare
    const { run, channels, counts } = setup([
      new RecordingChannel('slack'),
      new RecordingChannel('sns'),
    ]);
    (channels[0] as RecordingChannel).failWith = new PermanentError(
      'Slack rejected the message: HTTP 404 no_service',
    );
    // Act
    const [result] = await run([notify()]);
    // Assess
    expect(result).toMatchObject({ status: 'done', detail: 'slack: rejected, sns: sent' });
    expect(counts.AlertsRejected).toBe(1);
  });

  it('says so when no channel is configured', async () => {
    // Prepare
    const { run } = setup([]);
    // Act
    const [result] = await run([notify()]);
    // Assess
    expect(result).toMatchObject({ status: 'skipped', detail: 'no alert channel configured' });
  });
});
