import type { Config } from '#config/schema.ts';
import { ConfigError } from './errors.ts';
import type { Ports } from './ports.ts';
import type { Telemetry } from './telemetry.ts';

type Environment = Readonly<Record<string, string | undefined>>;

/** What one function instance runs with: its configuration, environment, telemetry and clock. */
interface Runtime {
  functionName: string;
  config: Config;
  env: Environment;
  telemetry: Telemetry;
  now: () => Date;
  /** Builds a value once per runtime (AWS clients are created once per container). */
  once<T>(key: string, build: () => T): T;
}

const createRuntime = (options: Omit<Runtime, 'once' | 'now'> & { now?: () => Date }): Runtime => {
  const built = new Map<string, unknown>();
  return {
    ...options,
    now: options.now ?? (() => new Date()),
    once: <T>(key: string, build: () => T): T => {
      if (!built.has(key)) built.set(key, build());
      return built.get(key) as T;
    },
  };
};

/** An environment variable the function cannot run without; names it when missing. */
const requireEnv = (runtime: Runtime, name: string): string => {
  const value = runtime.env[name];
  if (!value) {
    throw new ConfigError('the function environment', [
      { path: name, message: 'missing environment variable (set by serverless.yml)' },
    ]);
  }
  return value;
};

// A port a function does not wire is a programming error, so it fails loudly when touched.
const unwired = (name: string): never =>
  new Proxy({} as never, {
    get: (_target, property) => {
      if (property === 'then') return undefined;
      throw new Error(
        `Port "${name}" is not wired for this function (reading "${String(property)}")`,
      );
    },
  });

/** Fills the ports a function does not use with ones that fail loudly if used anyway. */
const completePorts = (ports: Partial<Ports>): Ports => ({
  ecs: ports.ecs ?? unwired('ecs'),
  alarms: ports.alarms ?? unwired('alarms'),
  guardStore: ports.guardStore ?? unwired('guardStore'),
  channels: ports.channels ?? [],
  dedup: ports.dedup ?? unwired('dedup'),
  deadLetters: ports.deadLetters ?? unwired('deadLetters'),
  jobRuns: ports.jobRuns ?? unwired('jobRuns'),
});

export { completePorts, createRuntime, type Environment, type Runtime, requireEnv };
