import {
  CreateClusterCommand,
  CreateServiceCommand,
  type DeploymentConfiguration,
  DescribeServiceDeploymentsCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  type ServiceDeployment,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { ecsClient, fargateTaskDefinition, network, START } from './harness.ts';

const ELB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012';

/** The load balancer resources a blue/green service names (ARN formats of the ELB API). */
export const BLUE_GROUP = `${ELB}:targetgroup/web-blue/0123456789abcdef`;
export const GREEN_GROUP = `${ELB}:targetgroup/web-green/fedcba9876543210`;
export const PRODUCTION_RULE = `${ELB}:listener-rule/app/web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`;
export const TEST_RULE = `${ELB}:listener-rule/app/web-alb/50dc6c495c0c9188/2d7fe3d3d0c7a8b1/6b8f6f9f2c3d4e5f`;
export const ELB_ROLE = 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers';
export const HOOK_ROLE = 'arn:aws:iam::123456789012:role/ecsLambdaInvokeRole';
export const GATE = 'arn:aws:lambda:us-east-1:123456789012:function:gate';
export const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/prod/web';

/** The `loadBalancers` entry of a blue/green service (AdvancedConfiguration). */
export const blueGreenLoadBalancer = {
  targetGroupArn: BLUE_GROUP,
  containerName: 'app',
  containerPort: 80,
  advancedConfiguration: {
    alternateTargetGroupArn: GREEN_GROUP,
    productionListenerRule: PRODUCTION_RULE,
    testListenerRule: TEST_RULE,
    roleArn: ELB_ROLE,
  },
};

/** A local endpoint with cluster `prod`, revisions web:1 and web:2, and helpers for `web`. */
export interface BlueGreenSandbox {
  local: LocalAws;
  ecs: ECSClient;
  /** Creates `web` on web:1 with two tasks and this deployment configuration. */
  createWeb(config: DeploymentConfiguration, desiredCount?: number): Promise<void>;
  /** UpdateService to web:2 (a new service deployment). */
  deployV2(): Promise<void>;
  /** The service's deployments, newest first, described. */
  deployments(): Promise<ServiceDeployment[]>;
}

/** Starts a fresh endpoint before each test of the calling suite and closes it afterwards. */
export const useBlueGreenSandbox = (): BlueGreenSandbox => {
  const box = {} as BlueGreenSandbox;
  beforeEach(async () => {
    box.local = await startLocalAws({ now: START });
    box.ecs = ecsClient(box.local);
    await box.ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
    await box.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web')));
    await box.ecs.send(
      new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', 'nginx:1.28')),
    );
  });
  afterEach(async () => {
    box.ecs.destroy();
    await box.local.close();
  });
  box.createWeb = async (config, desiredCount = 2) => {
    await box.ecs.send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'web',
        taskDefinition: 'web:1',
        desiredCount,
        launchType: 'FARGATE',
        networkConfiguration: network,
        loadBalancers: [blueGreenLoadBalancer],
        deploymentConfiguration: config,
      }),
    );
  };
  box.deployV2 = async () => {
    await box.ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }),
    );
  };
  box.deployments = async () => {
    const listed = await box.ecs.send(
      new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }),
    );
    const arns = (listed.serviceDeployments ?? []).map((d) => d.serviceDeploymentArn ?? '');
    if (arns.length === 0) return [];
    const described = await box.ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }),
    );
    return described.serviceDeployments ?? [];
  };
  return box;
};

/** A recorded Lambda hook invocation: the simulated time and the payload ECS sent. */
export interface HookCall {
  at: number;
  payload: {
    executionId: string;
    lifecycleStage: string;
    resourceArn: string;
    executionDetails: {
      serviceArn: string;
      targetServiceRevisionArn: string;
      testTrafficWeights: Record<string, number>;
      productionTrafficWeights: Record<string, number>;
    };
    hookDetails?: Record<string, unknown>;
  };
}

/** Registers `answer` as the handler of `functionArn`; returns the calls it receives. */
export const recordHook = (
  local: LocalAws,
  functionArn: string,
  answer: (call: HookCall, index: number) => unknown = () => ({ hookStatus: 'SUCCEEDED' }),
): HookCall[] => {
  const calls: HookCall[] = [];
  local.lambda.onInvoke(functionArn, (event) => {
    const call = { at: local.clock.nowMs(), payload: event as HookCall['payload'] };
    calls.push(call);
    return answer(call, calls.length - 1);
  });
  return calls;
};
