import type { JobRunStore } from './ports.ts';
import type { JobRun, LaunchRecord, TaskOutcome, Watermark } from './records.ts';

/** A JobRunStore in memory, with the conditional semantics of the DynamoDB one. */
class MemoryJobRunStore implements JobRunStore {
  public readonly namespace: string;
  public readonly runs = new Map<string, JobRun>();
  public readonly launches = new Map<string, LaunchRecord[]>();
  public readonly outcomes = new Map<string, TaskOutcome[]>();
  public readonly watermarks = new Map<string, Watermark>();

  public constructor(namespace = 'test') {
    this.namespace = namespace;
  }

  public async getRun(job: string, runKey: string): Promise<JobRun | undefined> {
    const run = this.runs.get(`${job}/${runKey}`);
    return run && structuredClone(run);
  }

  public async runFacts(job: string, runKey: string) {
    const key = `${job}/${runKey}`;
    return {
      launches: structuredClone(this.launches.get(key) ?? []),
      outcomes: structuredClone(this.outcomes.get(key) ?? []),
    };
  }

  public async recentRuns(job: string, since: Date): Promise<JobRun[]> {
    return [...this.runs.values()]
      .filter((r) => r.job === job && r.scheduledAt >= since.toISOString())
      .sort((a, b) => a.runKey.localeCompare(b.runKey))
      .map((r) => structuredClone(r));
  }

  public async watermark(job: string): Promise<Watermark | undefined> {
    return this.watermarks.get(job);
  }

  public async createRun(run: JobRun): Promise<boolean> {
    const key = `${run.job}/${run.runKey}`;
    if (this.runs.has(key)) return false;
    this.runs.set(key, structuredClone(run));
    return true;
  }

  public async finishRun(
    job: string,
    runKey: string,
    result: { status: JobRun['status']; finishedAt: string; reason?: string | undefined },
  ): Promise<boolean> {
    const run = this.runs.get(`${job}/${runKey}`);
    if (run?.status !== 'running') return false;
    Object.assign(run, result);
    return true;
  }

  public async recordLaunch(job: string, runKey: string, launch: LaunchRecord): Promise<void> {
    const key = `${job}/${runKey}`;
    const list = this.launches.get(key) ?? [];
    if (!list.some((l) => l.launchId === launch.launchId)) list.push(structuredClone(launch));
    this.launches.set(key, list);
  }

  public async recordOutcome(job: string, runKey: string, outcome: TaskOutcome): Promise<boolean> {
    const key = `${job}/${runKey}`;
    const list = this.outcomes.get(key) ?? [];
    if (list.some((o) => o.taskArn === outcome.taskArn)) return false;
    list.push(structuredClone(outcome));
    this.outcomes.set(key, list);
    return true;
  }

  public async setWatermark(job: string, watermark: Watermark): Promise<void> {
    const current = this.watermarks.get(job);
    if (!current || current.at < watermark.at) this.watermarks.set(job, watermark);
  }
}

export { MemoryJobRunStore };
