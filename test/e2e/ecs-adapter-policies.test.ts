import { type LocalAws, startLocalAws } from '@harbormaster/local-aws';
import { ecsClient } from '@harbormaster/local-aws/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEcsAdapter } from '#aws/ecs/adapter.ts';
import type { EcsPort } from '#aws/ecs/port.ts';
import { createService, registerRevision } from '#support/local-services.ts';

let local: LocalAws;
let ecs: EcsPort;

beforeEach(async () => {
  local = await startLocalAws({ now: new Date('2026-11-21T09:00:00Z') });
  ecs = createEcsAdapter(ecsClient(local));
});
afterEach(async () => local.close());

describe('Adapter: the EcsPort operations policies use, over the SDK and the embedded endpoint', () => {
  it('describes a service\u2019s configuration for policies, with its tags and deployments', async () => {
    // Prepare
    createService(local);
    local.ecs.call('TagResource', {
      resourceArn: `arn:aws:ecs:${local.region}:${local.accountId}:service/prod/web`,
      tags: [{ key: 'team', value: 'web' }],
    });
    // Act
    const service = await ecs.describeServiceConfiguration('prod', 'web');
    // Assess
    expect(service).toMatchObject({
      serviceName: 'web',
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'] } },
      tags: [{ key: 'team', value: 'web' }],
    });
    expect(service?.deployments).toMatchObject([{ status: 'PRIMARY' }]);
    expect(await ecs.describeServiceConfiguration('prod', 'missing')).toBeUndefined();
  });

  it('tags a revision, and deregisters it safely twice and when it does not exist', async () => {
    // Prepare
    const arn = registerRevision(local, 'web');
    // Act
    await ecs.tagResource(arn, { 'harbormaster:non-compliant': 'image-pinned' });
    const first = await ecs.deregisterTaskDefinition(arn);
    const second = await ecs.deregisterTaskDefinition(arn);
    const missing = await ecs.deregisterTaskDefinition('ghost:9');
    // Assess
    expect(await ecs.describeTaskDefinition(arn)).toMatchObject({
      definition: { status: 'INACTIVE' },
      tags: { 'harbormaster:non-compliant': 'image-pinned' },
    });
    expect([first, second, missing]).toStrictEqual(['deregistered', 'deregistered', 'not-found']);
  });

  it('deploys a revision to a service, and cannot deploy an inactive one', async () => {
    // Prepare
    const { taskDefinition: v1 } = createService(local);
    const v2 = registerRevision(local, 'web', 'public.ecr.aws/nginx/nginx:1.28');
    const v3 = registerRevision(local, 'web', 'public.ecr.aws/nginx/nginx:1.29');
    await ecs.deregisterTaskDefinition(v3);
    // Act
    await ecs.updateServiceTaskDefinition('prod', 'web', v2);
    const inactive = await ecs.updateServiceTaskDefinition('prod', 'web', v3).catch((e) => e);
    // Assess
    expect(local.ecs.service('prod', 'web')?.taskDefinitionArn).toBe(v2);
    expect(v1).not.toBe(v2);
    expect((inactive as Error).name).toBe('ClientException');
  });
});
