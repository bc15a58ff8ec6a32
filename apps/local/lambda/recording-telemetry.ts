import type { Telemetry } from '#kernel/telemetry.ts';

/** One structured log line. */
interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  extra: Record<string, unknown>;
  keys: Record<string, unknown>;
}

/** Telemetry that keeps log lines and metric totals in memory, for local runs and tests. */
class RecordingTelemetry implements Telemetry {
  readonly lines: LogLine[] = [];
  readonly counts: Record<string, number> = {};
  readonly keys: Record<string, unknown> = {};

  readonly log: Telemetry['log'] = {
    debug: (message, extra) => this.#push('debug', message, extra),
    info: (message, extra) => this.#push('info', message, extra),
    warn: (message, extra) => this.#push('warn', message, extra),
    error: (message, extra) => this.#push('error', message, extra),
    appendKeys: (keys) => Object.assign(this.keys, keys),
  };

  readonly counters: Telemetry['counters'] = {
    count: (metric, value = 1) => {
      this.counts[metric] = (this.counts[metric] ?? 0) + value;
    },
  };

  #push(level: LogLine['level'], message: string, extra: Record<string, unknown> = {}): void {
    this.lines.push({ level, message, extra, keys: { ...this.keys } });
  }
}

export { type LogLine, RecordingTelemetry };
