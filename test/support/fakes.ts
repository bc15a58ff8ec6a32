import type { Severity } from '../../shared/core/alert.ts';
import type { ServiceState } from '../../shared/core/ecs-state.ts';
import type { AlertChannel, AlertMessage, Ports } from '../../shared/core/ports.ts';
import type { Telemetry } from '../../shared/core/telemetry.ts';
import { MemoryDedupStore } from '../../shared/replay/memory-dedup-store.ts';
import { MemoryGuardStore } from '../../shared/replay/memory-guard-store.ts';

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

/** Telemetry that records log lines and counter totals. */
const recordingTelemetry = () => {
  const lines: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  const counts: Record<string, number> = {};
  const keys: Record<string, unknown> = {};
  const at = (level: string) => (message: string, extra?: Record<string, unknown>) => {
    lines.push({ level, message, ...(extra ? { extra } : {}) });
  };
  const telemetry: Telemetry = {
    log: {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      appendKeys: (k) => Object.assign(keys, k),
    },
    counters: {
      count: (metric, value = 1) => {
        counts[metric] = (counts[metric] ?? 0) + value;
      },
    },
  };
  return { telemetry, lines, counts, keys };
};

/** Ports over in-memory fakes; `services` answers describeService. */
const fakePorts = (
  options: { channels?: AlertChannel[]; services?: ServiceState[]; ecsError?: Error } = {},
) => {
  const dedup = new MemoryDedupStore();
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
        return undefined;
      },
      updateServiceTaskDefinition: async (cluster, service, taskDefinition) => {
        ecsCalls.push(`updateService ${cluster}/${service} ${taskDefinition}`);
        return { deploymentId: 'ecs-svc/9999999999999999999', taskDefinition };
      },
    },
    alarms: { alarmStates: async () => ({}) },
    guardStore,
    channels: options.channels ?? [],
    dedup,
    deadLetters: {
      park: async (functionName, record) => void parked.push({ functionName, record }),
    },
  };
  return { ports, dedup, guardStore, parked, ecsCalls };
};

/** A named error as the AWS SDK raises them (name = the service's error code). */
const awsError = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name });

export { awsError, fakePorts, MemoryDedupStore, RecordingChannel, recordingTelemetry };
