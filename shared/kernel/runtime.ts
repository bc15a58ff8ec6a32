import type { KernelConfig } from './config/aws.ts';
import { ConfigError } from './errors.ts';
import type { Telemetry } from './telemetry.ts';

type Environment = Readonly<Record<string, string | undefined>>;

/** What one function instance runs with: its configuration, environment, telemetry and clock. */
interface Runtime<C extends KernelConfig = KernelConfig> {
  functionName: string;
  config: C;
  env: Environment;
  telemetry: Telemetry;
  now: () => Date;
  /** Builds a value once per runtime (AWS clients are created once per container). */
  once<T>(key: string, build: () => T): T;
}

const createRuntime = <C extends KernelConfig>(
  options: Omit<Runtime<C>, 'once' | 'now'> & { now?: () => Date },
): Runtime<C> => {
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
const requireEnv = (runtime: Runtime<KernelConfig>, name: string): string => {
  const value = runtime.env[name];
  if (!value) {
    throw new ConfigError('the function environment', [
      { path: name, message: 'missing environment variable (set by serverless.yml)' },
    ]);
  }
  return value;
};

export { createRuntime, type Environment, type Runtime, requireEnv };
