import { describe, expect, it } from 'vitest';
import { notifyRunner } from '#alerts/notify.ts';
import type { Config } from '#config/schema.ts';
import { serviceAlerts } from '#functions/service-alerts/definition.ts';
import { type HarbormasterEvent, parseEvent } from '#kernel/events/parse.ts';
import type { FunctionDefinition } from '#kernel/function-definition.ts';
import { invoke } from '#kernel/invoke.ts';
import { fixture, withDetail } from '#support/events.ts';
import { awsError, fakePorts, fakeRuntime, type Ports } from '#support/fakes.ts';

const NOW = new Date('2026-11-21T12:00:00Z');

const setup = (options: { ecsError?: Error } = {}) => {
  const fake = fakeRuntime({
    functionName: 'harbormaster-test-service-alerts',
    now: NOW,
    ...options,
  });
  const run = (raw: unknown) => invoke(serviceAlerts, raw, fake.runtime, fake.ports);
  return { run, ...fake };
};

describe('Function: invoke', () => {
  it('parses, loads, decides and executes', async () => {
    // Prepare
    const { run, sns, ecsCalls, keys } = setup();
    // Act
    const result = await run(fixture('service-action-placement-failure-ec2-cpu-docs'));
    // Assess
    expect(result).toMatchObject({
      outcome: 'acted',
      actions: [{ type: 'notify', status: 'done' }],
    });
    expect(ecsCalls).toStrictEqual(['describeService default/servicetest']);
    expect(sns.sent[0]?.title).toBe('default/servicetest cannot place tasks (RESOURCE:CPU)');
    expect(keys).toMatchObject({
      eventId: 'ddca6449-b258-46c0-8653-e0e3a6d0468b',
      cluster: 'default',
      service: 'servicetest',
    });
  });

  it('logs, counts and drops a malformed event, naming the field, without throwing or acting', async () => {
    // Prepare
    const { run, sns, ecsCalls, counts, lines } = setup();
    // Act
    const result = await run(
      withDetail('service-action-placement-failure-ec2-cpu-docs', { eventType: 42 }),
    );
    // Assess
    expect(result).toStrictEqual({
      outcome: 'invalid',
      reason: expect.stringContaining('detail.eventType'),
      actions: [],
    });
    expect(counts.InvalidEvents).toBe(1);
    expect(lines.find((l) => l.level === 'error')?.extra).toMatchObject({
      issues: [{ path: 'detail.eventType' }],
    });
    expect(ecsCalls).toHaveLength(0);
    expect(sns.sent).toHaveLength(0);
  });

  it('reports a missing permission once, names it, and drops the event', async () => {
    // Prepare
    const denied = awsError(
      'AccessDeniedException',
      'User: arn:aws:sts::111122223333:assumed-role/hm/fn is not authorized to perform: ecs:DescribeServices on resource: arn:aws:ecs:us-west-2:111122223333:service/default/servicetest because no identity-based policy allows the ecs:DescribeServices action',
    );
    const { run, sns, counts } = setup({ ecsError: denied });
    // Act: the enrichment is skipped and the alert still goes out
    const result = await run(fixture('service-action-placement-failure-ec2-cpu-docs'));
    // Assess
    expect(result.outcome).toBe('acted');
    expect(sns.sent.map((m) => m.kind)).toStrictEqual(['service-event']);
    expect(counts.PermanentFailures).toBeUndefined();
  });

  it('rethrows a transient failure so that Lambda retries the invocation', async () => {
    // Prepare
    const { run, counts, sns } = setup({
      ecsError: awsError('ThrottlingException', 'Rate exceeded'),
    });
    // Act + Assess
    await expect(run(fixture('service-action-placement-failure-ec2-cpu-docs'))).rejects.toThrow(
      'Rate exceeded',
    );
    expect(counts.TransientFailures).toBe(1);
    expect(sns.sent).toHaveLength(0);
  });

  it('counts every decision', async () => {
    // Prepare
    const { run, counts } = setup();
    // Act
    await run(fixture('service-action-steady-state-docs'));
    await run(fixture('service-action-task-start-impaired-docs'));
    // Assess
    expect(counts).toMatchObject({ EventsReceived: 2, DecisionsIgnored: 1, DecisionsActed: 1 });
  });
});

describe('Function: invoke, when a failure cannot be fixed by retrying', () => {
  const failing = (
    error: Error,
  ): FunctionDefinition<HarbormasterEvent, undefined, Config, Ports, never> => ({
    name: 'probe',
    reads: [],
    configSections: {},
    runners: { notify: notifyRunner({}) },
    parse: parseEvent,
    context: () => ({
      subject: {
        account: '111122223333',
        region: 'us-west-2',
        cluster: 'default',
        service: 'servicetest',
      },
      eventId: 'e-1',
      summary: 'probe',
      consequence: 'default/servicetest was left unguarded for this event.',
    }),
    load: async () => {
      throw error;
    },
    decide: () => ({ outcome: 'ignored', reason: 'unreachable', actions: [] }),
    wire: async () => fakePorts().ports,
  });

  const setupProbe = (error: Error) => {
    const fake = fakeRuntime({ functionName: 'harbormaster-test-probe', now: NOW });
    const run = () =>
      invoke(failing(error), fixture('deployment-completed-docs'), fake.runtime, fake.ports);
    return { run, ...fake };
  };

  it('reports it once with the missing permission named, and returns without a retry', async () => {
    // Prepare
    const { run, sns, counts } = setupProbe(
      awsError(
        'AccessDeniedException',
        'User: arn:aws:sts::111122223333:assumed-role/hm/fn is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-west-2:111122223333:service/default/servicetest because no identity-based policy allows the ecs:UpdateService action',
      ),
    );
    // Act
    const first = await run();
    const second = await run();
    // Assess
    expect(first).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('AccessDeniedException'),
    });
    expect(second.actions[0]).toMatchObject({ detail: 'sns: duplicate' });
    expect(sns.sent).toHaveLength(1);
    expect(sns.sent[0]).toMatchObject({
      kind: 'handler-error',
      title:
        'Harbormaster harbormaster-test-probe cannot act: permission ecs:UpdateService on arn:aws:ecs:us-west-2:111122223333:service/default/servicetest',
      summary: 'default/servicetest was left unguarded for this event.',
    });
    expect(counts.PermanentFailures).toBe(2);
  });

  it('names a missing service', async () => {
    // Prepare
    const { run, sns } = setupProbe(awsError('ServiceNotFoundException', 'Service not found.'));
    // Act
    await run();
    // Assess
    expect(sns.sent[0]?.title).toBe(
      'Harbormaster harbormaster-test-probe cannot act: the ECS service',
    );
  });
});
