import {
  CreateServiceCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { ecsClient, eventsOf, fargateTaskDefinition, network, START } from './harness.ts';

describe('CloudTrail records of the calls policies check', () => {
  let local: LocalAws;
  let ecs: ECSClient;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    ecs = ecsClient(local);
    local.ecs.createCluster('prod');
  });

  afterEach(async () => {
    ecs.destroy();
    await local.close();
  });

  it('records RegisterTaskDefinition\u2019s request as sent (plaintext environment values and tags) and the registered revision', async () => {
    // Prepare: CloudTrail documents no redaction of task definition fields, so values appear as sent
    const input = {
      ...fargateTaskDefinition('web'),
      containerDefinitions: [
        {
          name: 'app',
          image: 'nginx:1.27',
          environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }],
        },
      ],
      tags: [{ key: 'team', value: 'web' }],
    };
    // Act
    await ecs.send(new RegisterTaskDefinitionCommand(input));
    // Assess
    const [record] = eventsOf(local, 'AWS API Call via CloudTrail').map((e) => e.detail);
    expect(record?.eventName).toBe('RegisterTaskDefinition');
    expect(record?.requestParameters).toStrictEqual(input);
    expect(record?.responseElements).toMatchObject({
      taskDefinition: {
        taskDefinitionArn: `arn:aws:ecs:us-east-1:${local.accountId}:task-definition/web:1`,
        revision: 1,
        status: 'ACTIVE',
        containerDefinitions: [
          {
            name: 'app',
            environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }],
            essential: true,
          },
        ],
      },
      tags: [{ key: 'team', value: 'web' }],
    });
  });

  it('records CreateService and UpdateService with the service as ECS returned it, deployments included', async () => {
    // Prepare
    const v1 = await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web')));
    const v2 = await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web')));
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'web',
        taskDefinition: v1.taskDefinition?.taskDefinitionArn,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: network,
      }),
    );
    // Act
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }),
    );
    // Assess
    const update = eventsOf(local, 'AWS API Call via CloudTrail').at(-1)?.detail;
    expect(update?.requestParameters).toStrictEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: 'web:2',
    });
    expect(update?.responseElements).toMatchObject({
      service: {
        serviceName: 'web',
        taskDefinition: v2.taskDefinition?.taskDefinitionArn,
        deployments: [
          { status: 'PRIMARY', taskDefinition: v2.taskDefinition?.taskDefinitionArn },
          { status: 'ACTIVE', taskDefinition: v1.taskDefinition?.taskDefinitionArn },
        ],
      },
    });
  });
});
