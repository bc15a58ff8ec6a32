import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '#config/schema.ts';
import { deliveryConfig, GREEN_TD, hookEvent, hookWorld, invokeHook } from '#support/delivery.ts';
import {
  compliantService,
  compliantTaskDefinition,
  withContainer,
} from '#support/task-definitions.ts';

const NOW = new Date('2026-11-21T09:00:00Z');

const policy = (mode: 'enforce' | 'notify' | 'audit') => ({
  name: 'prod-deployments',
  resource: 'ecs-service',
  mode,
  filters: [{ type: 'image-pinned' }, { type: 'not-privileged' }],
});

const world = (
  definition: object,
  tags: Record<string, string> = {},
  service = compliantService({ serviceName: 'my-service' }),
) =>
  hookWorld({
    now: NOW,
    taskDefinitions: { [GREEN_TD]: { definition: definition as TaskDefinition, tags } },
    service: { ...service, tags: [] },
  });

const run = (w: ReturnType<typeof world>, input: ConfigInput) =>
  invokeHook(w, hookEvent('hook-pre-scale-up-docs'), deliveryConfig(input));

const latest = withContainer({ image: 'public.ecr.aws/nginx/nginx:latest' });

describe('Policy gate at PRE_SCALE_UP', () => {
  it('refuses a revision that fails an enforce-mode policy before any green task starts', async () => {
    // Prepare
    const w = world(latest);
    // Act
    const { answer } = await run(w, { policies: [policy('enforce')] } as ConfigInput);
    // Assess
    expect(answer).toStrictEqual({ hookStatus: 'FAILED' });
    const alert = w.sns.sent[0];
    expect(alert).toMatchObject({
      severity: 'error',
      title: 'my-cluster/my-service policy gate failed: ECS rolls back (PRE_SCALE_UP)',
      threadId: 'ecs-my-cluster-my-service-EZe5RNVLH6PPzHXINuP28',
    });
    expect(alert?.details).toStrictEqual([
      'Policy prod-deployments (enforce):',
      expect.stringMatching(
        /^ {2}image-pinned: .*\(container app\) at containerDefinitions\[0\]\.image$/,
      ),
    ]);
    expect(alert?.nextSteps[0]).toMatch(/^image-pinned: /);
    expect(w.serviceDeployments.calls).toContain('describeRevisions 1');
  });

  it('evaluates the service as green will run it: the revision\u2019s network settings over the service\u2019s', async () => {
    // Prepare: the service has a private network; green's revision (the SDK example) assigns a public IP.
    const w = world(compliantTaskDefinition());
    const input = {
      policies: [
        {
          name: 'private',
          resource: 'ecs-service',
          mode: 'enforce',
          filters: [{ type: 'no-public-ip' }],
        },
      ],
    } as ConfigInput;
    // Act
    const { answer } = await run(w, input);
    // Assess
    expect(answer).toStrictEqual({ hookStatus: 'FAILED' });
    expect(w.sns.sent[0]?.details[1]).toContain('no-public-ip');
  });

  it('in notify mode alerts what it would have refused and lets the deployment go on', async () => {
    // Prepare
    const w = world(latest);
    // Act
    const { answer } = await run(w, {
      policies: [policy('enforce')],
      delivery: { policyGate: { mode: 'notify' } },
    } as ConfigInput);
    // Assess
    expect(answer).toStrictEqual({ hookStatus: 'SUCCEEDED' });
    expect(w.sns.sent[0]).toMatchObject({
      severity: 'warning',
      title: expect.stringContaining('policy gate would have failed (notify mode'),
    });
  });

  it('lets a revision through that fails only a notify-mode policy, and alerts it', async () => {
    // Prepare
    const w = world(latest);
    // Act
    const { answer } = await run(w, { policies: [policy('notify')] } as ConfigInput);
    // Assess
    expect(answer).toStrictEqual({ hookStatus: 'SUCCEEDED' });
    expect(w.sns.sent[0]?.summary).toContain('fails only notify-mode prod-deployments');
  });

  it('applies exemptions: an exempt failure lets the revision through', async () => {
    // Prepare
    const w = world(latest, {
      'harbormaster:exempt:image-pinned': '2026-12-31 vendor image until release 4.2',
    });
    // Act
    const { answer } = await run(w, { policies: [policy('enforce')] } as ConfigInput);
    // Assess
    expect(answer).toStrictEqual({ hookStatus: 'SUCCEEDED' });
    expect(w.sns.sent[0]).toMatchObject({
      severity: 'info',
      title: 'my-cluster/my-service policy gate passed (PRE_SCALE_UP)',
    });
  });

  it('judges the first deployment of a service too', async () => {
    // Prepare
    const w = world(latest);
    w.serviceDeployments.deployments.forEach((d) => {
      d.source = [];
    });
    // Act
    const { answer } = await run(w, { policies: [policy('enforce')] } as ConfigInput);
    // Assess
    expect(answer).toStrictEqual({ hookStatus: 'FAILED' });
  });

  it('reads neither green\u2019s revision nor its task definition when the gate is off', async () => {
    // Prepare
    const w = world(latest);
    // Act
    const { answer } = await run(w, {
      policies: [policy('enforce')],
      delivery: { policyGate: { mode: 'off' } },
    } as ConfigInput);
    // Assess
    expect(answer).toStrictEqual({ hookStatus: 'SUCCEEDED' });
    expect(w.serviceDeployments.calls).toStrictEqual(['describe 1']);
    expect(w.ecsCalls.filter((c) => c.startsWith('describeTaskDefinition'))).toStrictEqual([]);
    expect(w.sns.sent).toStrictEqual([]);
  });
});
