import type { Severity } from '../../shared/core/alert.ts';
import type { ServiceState } from '../../shared/core/ecs-state.ts';
import type { AlertChannel, AlertMessage, DedupStore, Ports } from '../../shared/core/ports.ts';
import type { Telemetry } from '../../shared/core/telemetry.ts';
import { MemoryJobRunStore } from './memory-job-run-store.ts';

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

/** A DedupStore in memory, with the same claim semantics as the DynamoDB one. */
class MemoryDedupStore implements DedupStore {
  public readonly claims = new Map<string, number>();

  public async claim(key: string, now: Date, windowSeconds: number): Promise<boolean> {
    const expiresAt = this.claims.get(key);
    if (expiresAt !== undefined && expiresAt >= now.getTime() / 1000) return false;
    this.claims.set(key, Math.floor(now.getTime() / 1000) + windowSeconds);
    return true;
  }

  public async release(key: string): Promise<void> {
    this.claims.delete(key);
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
      runTask: async (request) => {
        ecsCalls.push(`runTask ${request.spec.cluster} ${request.count}`);
        return { outcome: 'launched', taskArns: [], failures: [] };
      },
    },
    channels: options.channels ?? [],
    dedup,
    deadLetters: {
      park: async (functionName, record) => void parked.push({ functionName, record }),
    },
    jobRuns: new MemoryJobRunStore(),
  };
  return { ports, dedup, parked, ecsCalls };
};

/** A named error as the AWS SDK raises them (name = the service's error code). */
const awsError = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name });

export { awsError, fakePorts, MemoryDedupStore, RecordingChannel, recordingTelemetry };
