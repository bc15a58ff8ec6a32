import type { AlertPorts } from '#alerts/notify.ts';
import type { AlertChannel } from '#alerts/ports.ts';
import { RecordingTelemetry } from '#apps/local/lambda/recording-telemetry.ts';
import type { ServiceDeploymentsPort } from '#aws/ecs/service-deployments.ts';
import type { ServiceDocument } from '#aws/ecs/service-document.ts';
import type { ServiceState, TaskDefinitionState } from '#aws/ecs/state.ts';
import { MemoryWakeups } from '#aws/wakeups/memory-wakeups.ts';
import type { WakePorts } from '#aws/wakeups/wake.ts';
import { MemoryJobRunStore } from '#batch/memory-store.ts';
import type { BatchPorts } from '#batch/ports.ts';
import { parseConfig } from '#config/parse.ts';
import type { Config } from '#config/schema.ts';
import type { DeadLetterQueue } from '#dead-letters/ports.ts';
import { MemoryGuardStore } from '#guard/memory-store.ts';
import type { GuardPorts } from '#guard/ports.ts';
import type { AlertMessage, Severity } from '#kernel/alerts/model.ts';
import { MemoryLeaseStore } from '#kernel/lease/memory-lease-store.ts';
import { createRuntime, type Runtime } from '#kernel/runtime.ts';

/** Every port of every function, over fakes: each function takes the part it uses. */
type Ports = GuardPorts & BatchPorts & AlertPorts & WakePorts & { deadLetters: DeadLetterQueue };

/** An alert channel that records what it was sent, and can be told to fail. */
class RecordingChannel implements AlertChannel {
  public readonly name: string;
  public readonly minimumSeverity: Severity;
  public readonly sent: AlertMessage[] = [];
  public failWith: Error | undefined;

  public constructor(name: string, minimumSeverity: Severity = 'info') {
    this.name = name;
    this.minimumSeverity = minimumSeverity;
  }

  public async send(message: AlertMessage): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push(message);
  }
}

/** A ServiceDeploymentsPort that knows no service deployment (rolling services have none). */
const noServiceDeployments = (calls: string[]): ServiceDeploymentsPort => ({
  list: async (cluster, service) => {
    calls.push(`listServiceDeployments ${cluster}/${service}`);
    return [];
  },
  describe: async () => [],
  describeRevisions: async () => [],
  stopWithRollback: async (arn) => {
    calls.push(`stopServiceDeployment ${arn}`);
  },
  continueDeployment: async (arn, hookId, action) => {
    calls.push(`continueServiceDeployment ${arn} ${hookId} ${action}`);
  },
});

/** Telemetry that records log lines and counter totals (the local Lambda host's). */
const recordingTelemetry = () => {
  const telemetry = new RecordingTelemetry();
  return { telemetry, lines: telemetry.lines, counts: telemetry.counts, keys: telemetry.keys };
};

/**
 * Ports over in-memory fakes; `services` answers describeService, `taskDefinitions` (by ARN or
 * family:revision) describeTaskDefinition, `serviceConfigurations` describeServiceConfiguration.
 */
const fakePorts = (
  options: {
    channels?: AlertChannel[];
    services?: ServiceState[];
    ecsError?: Error;
    taskDefinitions?: Record<string, TaskDefinitionState>;
    serviceConfigurations?: ServiceDocument[];
    serviceDeployments?: ServiceDeploymentsPort;
  } = {},
) => {
  const leases = new MemoryLeaseStore();
  const guardStore = new MemoryGuardStore();
  const parked: { functionName: string; record: unknown }[] = [];
  const ecsCalls: string[] = [];
  const ports: Ports = {
    ecs: {
      describeService: async (cluster, service) => {
        ecsCalls.push(`describeService ${cluster}/${service}`);
        if (options.ecsError) throw options.ecsError;
        return options.services?.find((s) => s.serviceName === service);
      },
      describeTasks: async (cluster, taskArns) => {
        ecsCalls.push(`describeTasks ${cluster} ${taskArns.length}`);
        return [];
      },
      listTasks: async (cluster) => {
        ecsCalls.push(`listTasks ${cluster}`);
        return [];
      },
      stopTask: async (cluster, taskArn) => {
        ecsCalls.push(`stopTask ${cluster} ${taskArn}`);
        return 'stopping';
      },
      describeTaskDefinition: async (taskDefinition) => {
        ecsCalls.push(`describeTaskDefinition ${taskDefinition}`);
        return options.taskDefinitions?.[taskDefinition];
      },
      describeServiceConfiguration: async (cluster, service) => {
        ecsCalls.push(`describeServiceConfiguration ${cluster}/${service}`);
        return options.serviceConfigurations?.find((s) => s.serviceName === service);
      },
      tagResource: async (resourceArn, tags) => {
        ecsCalls.push(`tagResource ${resourceArn} ${JSON.stringify(tags)}`);
      },
      deregisterTaskDefinition: async (taskDefinition) => {
        ecsCalls.push(`deregisterTaskDefinition ${taskDefinition}`);
        return 'deregistered';
      },
      updateServiceTaskDefinition: async (cluster, service, taskDefinition) => {
        ecsCalls.push(`updateService ${cluster}/${service} ${taskDefinition}`);
        return { deploymentId: 'ecs-svc/9999999999999999999', taskDefinition };
      },
      runTask: async (request) => {
        ecsCalls.push(`runTask ${request.spec.cluster} ${request.count}`);
        return { outcome: 'launched', taskArns: [], failures: [] };
      },
    },
    alarms: { alarmStates: async () => ({}) },
    guardStore,
    serviceDeployments: options.serviceDeployments ?? noServiceDeployments(ecsCalls),
    channels: options.channels ?? [],
    leases,
    deadLetters: {
      park: async (functionName, record) => void parked.push({ functionName, record }),
    },
    jobRuns: new MemoryJobRunStore(),
    wakeups: new MemoryWakeups(),
  };
  return { ports, leases, guardStore, parked, ecsCalls };
};

/**
 * A runtime over in-memory fakes with an SNS channel that records what it is sent: everything a
 * test of the invocation pipeline needs.
 */
const fakeRuntime = (
  options: { functionName?: string; ecsError?: Error; now?: Date; services?: ServiceState[] } = {},
) => {
  const sns = new RecordingChannel('sns');
  const fakes = fakePorts({
    channels: [sns],
    ...(options.ecsError ? { ecsError: options.ecsError } : {}),
    ...(options.services ? { services: options.services } : {}),
  });
  const recorded = recordingTelemetry();
  const runtime: Runtime<Config> = createRuntime({
    functionName: options.functionName ?? 'harbormaster-test',
    config: parseConfig({}, 'test'),
    env: {},
    telemetry: recorded.telemetry,
    now: () => options.now ?? new Date('2026-11-21T12:00:00Z'),
  });
  return { runtime, sns, ...fakes, ...recorded };
};

/** A named error as the AWS SDK raises them (name = the service's error code). */
const awsError = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name });

export {
  awsError,
  fakePorts,
  fakeRuntime,
  MemoryLeaseStore,
  type Ports,
  RecordingChannel,
  recordingTelemetry,
};
