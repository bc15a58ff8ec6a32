import {
  ClusterNotFoundException,
  DeleteServiceCommand,
  DescribeServicesCommand,
  InvalidParameterException,
  ListServicesCommand,
  ServiceNotActiveException,
  ServiceNotFoundException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { eventsOf } from './harness.ts';
import { useServiceSandbox } from './service-sandbox.ts';

describe('ECS service scaling and deletion', () => {
  const box = useServiceSandbox();

  it('scales with desiredCount (no new deployment) and drains a deleted service to INACTIVE', async () => {
    // Prepare
    const { local, ecs, register, createWeb, describeWeb } = box;
    await register('web');
    const created = await createWeb(1);
    await local.clock.advance(120_000);
    const primary = created?.deployments?.[0]?.id ?? '';

    // Act
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 3 }));
    await local.clock.advance(120_000);
    const scaledUp = await describeWeb();
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 1 }));
    await local.clock.advance(120_000);
    const refused = await ecs
      .send(new DeleteServiceCommand({ cluster: 'prod', service: 'web' }))
      .catch((e: unknown) => e);
    const deleted = await ecs.send(
      new DeleteServiceCommand({ cluster: 'prod', service: 'web', force: true }),
    );
    await local.clock.advance(120_000);
    const gone = await describeWeb();
    const listed = await ecs.send(new ListServicesCommand({ cluster: 'prod' }));

    // Assess
    expect(scaledUp).toMatchObject({ runningCount: 3, desiredCount: 3 });
    expect(scaledUp.deployments).toHaveLength(1);
    const scaleIn = eventsOf(local, 'ECS Task State Change').filter(
      (e) => e.detail.lastStatus === 'STOPPED',
    );
    expect(scaleIn.slice(0, 2).map((e) => e.detail.stoppedReason)).toEqual([
      `Scaling activity initiated by (deployment ${primary})`,
      `Scaling activity initiated by (deployment ${primary})`,
    ]);
    expect(refused).toBeInstanceOf(InvalidParameterException);
    expect(deleted.service).toMatchObject({ status: 'DRAINING', desiredCount: 0 });
    expect(gone).toMatchObject({ status: 'INACTIVE', runningCount: 0 });
    expect(listed.serviceArns).toEqual([]);
    expect(eventsOf(local, 'ECS Service Action').map((e) => e.detail.eventName)).toEqual([
      'SERVICE_STEADY_STATE',
      'SERVICE_STEADY_STATE',
      'SERVICE_STEADY_STATE',
    ]);
  });

  it('answers the modelled errors for unknown or inactive services', async () => {
    // Prepare
    const { ecs, register, createWeb } = box;
    await register('web');
    await createWeb(0);

    // Act
    const missing = await ecs
      .send(new UpdateServiceCommand({ cluster: 'prod', service: 'nope', desiredCount: 1 }))
      .catch((e: unknown) => e);
    const noCluster = await ecs
      .send(new UpdateServiceCommand({ cluster: 'nope', service: 'web', desiredCount: 1 }))
      .catch((e: unknown) => e);
    await ecs.send(new DeleteServiceCommand({ cluster: 'prod', service: 'web' }));
    const inactive = await ecs
      .send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 1 }))
      .catch((e: unknown) => e);
    const tooMany = await ecs
      .send(
        new DescribeServicesCommand({
          cluster: 'prod',
          services: Array.from({ length: 11 }, (_, i) => `s${i}`),
        }),
      )
      .catch((e: unknown) => e);
    const described = await ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['ghost'] }),
    );

    // Assess
    expect(missing).toBeInstanceOf(ServiceNotFoundException);
    expect(noCluster).toBeInstanceOf(ClusterNotFoundException);
    expect(inactive).toBeInstanceOf(ServiceNotActiveException);
    expect(tooMany).toBeInstanceOf(InvalidParameterException);
    expect(described.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/ghost', reason: 'MISSING' },
    ]);
  });
});
