import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { ecsClient, fargateTaskDefinition, network, START } from './harness.ts';

/** A local endpoint with a `prod` cluster and helpers for a Fargate service named `web`. */
export interface ServiceSandbox {
  local: LocalAws;
  ecs: ECSClient;
  /** Registers a revision of `family` (optionally with another image); returns its ARN. */
  register(family: string, image?: string): Promise<string>;
  /** Creates `web` with the circuit breaker enabled (rollback on by default). */
  createWeb(
    desiredCount: number,
    taskDefinition?: string,
    rollback?: boolean,
  ): Promise<Service | undefined>;
  /** DescribeServices for `web`. */
  describeWeb(): Promise<Service>;
}

/** Starts a fresh endpoint before each test of the calling suite and closes it afterwards. */
export const useServiceSandbox = (): ServiceSandbox => {
  const box = {} as ServiceSandbox;
  beforeEach(async () => {
    box.local = await startLocalAws({ now: START });
    box.ecs = ecsClient(box.local);
    await box.ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
  });
  afterEach(async () => {
    box.ecs.destroy();
    await box.local.close();
  });
  box.register = async (family, image) => {
    const out = await box.ecs.send(
      new RegisterTaskDefinitionCommand(fargateTaskDefinition(family, image)),
    );
    return out.taskDefinition?.taskDefinitionArn ?? '';
  };
  box.createWeb = async (desiredCount, taskDefinition = 'web:1', rollback = true) => {
    const out = await box.ecs.send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'web',
        taskDefinition,
        desiredCount,
        launchType: 'FARGATE',
        networkConfiguration: network,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback } },
      }),
    );
    return out.service;
  };
  box.describeWeb = async () => {
    const out = await box.ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }),
    );
    const service = out.services?.[0];
    if (service === undefined) throw new Error('service missing');
    return service;
  };
  return box;
};
