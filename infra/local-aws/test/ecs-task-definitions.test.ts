import {
  ClientException,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { ecsClient, fargateTaskDefinition, START } from './harness.ts';

describe('ECS task definitions', () => {
  let local: LocalAws;
  let ecs: ECSClient;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    ecs = ecsClient(local);
  });

  afterEach(async () => {
    ecs.destroy();
    await local.close();
  });

  it('registers revisions and describes them by family, family:revision and ARN', async () => {
    // Prepare
    const input = {
      ...fargateTaskDefinition('api'),
      executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
    };
    await ecs.send(
      new RegisterTaskDefinitionCommand({ ...input, tags: [{ key: 'team', value: 'payments' }] }),
    );

    // Act
    const second = await ecs.send(new RegisterTaskDefinitionCommand(input));
    const latest = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'api', include: ['TAGS'] }),
    );
    const first = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'api:1', include: ['TAGS'] }),
    );
    const byArn = await ecs.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: second.taskDefinition?.taskDefinitionArn,
      }),
    );

    // Assess
    expect(latest.taskDefinition).toMatchObject({
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:2',
      family: 'api',
      revision: 2,
      status: 'ACTIVE',
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      compatibilities: ['EC2', 'FARGATE'],
      requiresCompatibilities: ['FARGATE'],
      registeredBy: 'arn:aws:iam::123456789012:user/local-developer',
      registeredAt: START,
    });
    expect(latest.taskDefinition?.containerDefinitions?.[0]).toMatchObject({
      name: 'app',
      essential: true,
      cpu: 0,
      environment: [],
      portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
    });
    expect(latest.taskDefinition?.requiresAttributes).toContainEqual({
      name: 'ecs.capability.task-eni',
    });
    expect(latest.tags).toEqual([]);
    expect(first.tags).toEqual([{ key: 'team', value: 'payments' }]);
    expect(byArn.taskDefinition?.revision).toBe(2);
    expect(byArn.tags).toBeUndefined();
  });

  it('deregisters to INACTIVE (repeat-safe) and stops resolving the family', async () => {
    // Prepare
    await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('job')));

    // Act
    const once = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'job:1' }));
    const twice = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'job:1' }));
    const byFamily = await ecs
      .send(new DescribeTaskDefinitionCommand({ taskDefinition: 'job' }))
      .catch((e: unknown) => e);
    const byRevision = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'job:1' }),
    );
    const missing = await ecs
      .send(new DescribeTaskDefinitionCommand({ taskDefinition: 'ghost' }))
      .catch((e: unknown) => e);

    // Assess
    expect(once.taskDefinition?.status).toBe('INACTIVE');
    expect(twice.taskDefinition?.deregisteredAt).toEqual(once.taskDefinition?.deregisteredAt);
    expect(byFamily).toBeInstanceOf(ClientException);
    expect(byRevision.taskDefinition?.status).toBe('INACTIVE');
    expect(missing).toBeInstanceOf(ClientException);
    expect((missing as Error).message).toBe('Unable to describe task definition.');
  });

  it('lists revisions by full family name, status and sort order with pagination', async () => {
    // Prepare
    for (const family of ['web', 'web', 'web', 'web-worker']) {
      await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition(family)));
    }
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:1' }));

    // Act
    const active = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web' }));
    const desc = await ecs.send(new ListTaskDefinitionsCommand({ sort: 'DESC', maxResults: 2 }));
    const next = await ecs.send(
      new ListTaskDefinitionsCommand({ sort: 'DESC', maxResults: 2, nextToken: desc.nextToken }),
    );
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }));

    // Assess
    const arn = (name: string) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}`;
    expect(active.taskDefinitionArns).toEqual([arn('web:2'), arn('web:3')]);
    expect(desc.taskDefinitionArns).toEqual([arn('web-worker:1'), arn('web:3')]);
    expect(next.taskDefinitionArns).toEqual([arn('web:2')]);
    expect(inactive.taskDefinitionArns).toEqual([arn('web:1')]);
  });

  it('rejects definitions the real API rejects', async () => {
    // Prepare
    const bridgeOnFargate = { ...fargateTaskDefinition('bad'), networkMode: 'bridge' as const };
    const noMemory = { family: 'ec2', containerDefinitions: [{ name: 'a', image: 'busybox' }] };

    // Act
    const fargate = await ecs
      .send(new RegisterTaskDefinitionCommand(bridgeOnFargate))
      .catch((e: unknown) => e);
    const memory = await ecs
      .send(new RegisterTaskDefinitionCommand(noMemory))
      .catch((e: unknown) => e);

    // Assess
    expect(fargate).toBeInstanceOf(ClientException);
    expect((fargate as Error).message).toBe('Fargate only supports network mode ‘awsvpc’.');
    expect(memory).toBeInstanceOf(ClientException);
  });

  it('tags task definitions, clusters and tasks', async () => {
    // Prepare
    const td = await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('tagged')));
    const arn = td.taskDefinition?.taskDefinitionArn ?? '';
    const cluster = local.ecs.createCluster('tags');

    // Act
    await ecs.send(
      new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'owner', value: 'sre' }] }),
    );
    await ecs.send(
      new TagResourceCommand({ resourceArn: cluster, tags: [{ key: 'env', value: 'prod' }] }),
    );
    const reserved = await ecs
      .send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'aws:x', value: 'y' }] }))
      .catch((e: unknown) => e);
    const tdTags = await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    const clusterTags = await ecs.send(new ListTagsForResourceCommand({ resourceArn: cluster }));

    // Assess
    expect(tdTags.tags).toEqual([{ key: 'owner', value: 'sre' }]);
    expect(clusterTags.tags).toEqual([{ key: 'env', value: 'prod' }]);
    expect((reserved as Error).name).toBe('InvalidParameterException');
  });
});
