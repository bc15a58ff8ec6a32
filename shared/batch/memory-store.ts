import type { JobRunStore, OutcomeRecording, RunHeader } from './ports.ts';
import type { JobRun, LaunchRecord, TaskOutcome, Watermark } from './records.ts';

/** A JobRunStore in memory, with the conditional semantics of the DynamoDB one. */
class MemoryJobRunStore implements JobRunStore {
  public readonly namespace: string;
  public readonly runs = new Map<string, JobRun>();
  public readonly launches = new Map<string, LaunchRecord[]>();
  public readonly outcomes = new Map<string, TaskOutcome[]>();
  public readonly watermarks = new Map<string, Watermark>();
  /** Open tasks per run (launched, no outcome yet), as the DynamoDB store counts them on headers. */
  public readonly open = new Map<string, number>();

  public constructor(namespace = 'test') {
    this.namespace = namespace;
  }

  public async getRun(job: string, runKey: string): Promise<JobRun | undefined> {
    const run = this.runs.get(`${job}/${runKey}`);
    return run && structuredClone(run);
  }

  /** When the periodic check must next read all of a run's records. */
  public readonly checkAt = new Map<string, string>();

  public async getRunHeader(job: string, runKey: string): Promise<RunHeader | undefined> {
    const run = await this.getRun(job, runKey);
    return run && this.#header(run);
  }

  #header(run: JobRun): RunHeader {
    const key = `${run.job}/${run.runKey}`;
    return { run, open: this.open.get(key), checkAt: this.checkAt.get(key) };
  }

  public async recentRunHeaders(job: string, since: Date): Promise<RunHeader[]> {
    return (await this.recentRuns(job, since)).map((run) => this.#header(run));
  }

  public async scheduleCheck(job: string, runKey: string, at: string, now: Date): Promise<void> {
    const key = `${job}/${runKey}`;
    const current = this.checkAt.get(key);
    if (this.runs.get(key)?.status !== 'running') return;
    if (current === undefined || current > at || current <= now.toISOString())
      this.checkAt.set(key, at);
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
    this.open.set(key, 0);
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
    if (list.some((l) => l.launchId === launch.launchId)) return;
    list.push(structuredClone(launch));
    this.launches.set(key, list);
    if (this.open.has(key)) this.open.set(key, (this.open.get(key) ?? 0) + launch.tasks.length);
  }

  public async recordOutcome(job: string, runKey: string, outcome: TaskOutcome): Promise<boolean> {
    const key = `${job}/${runKey}`;
    const list = this.outcomes.get(key) ?? [];
    if (list.some((o) => o.taskArn === outcome.taskArn)) return false;
    list.push(structuredClone(outcome));
    this.outcomes.set(key, list);
    if (this.open.has(key)) this.open.set(key, (this.open.get(key) ?? 0) - 1);
    return true;
  }

  public async recordOutcomeWhileOthersOpen(
    job: string,
    runKey: string,
    outcome: TaskOutcome,
  ): Promise<OutcomeRecording> {
    const key = `${job}/${runKey}`;
    if (this.outcomes.get(key)?.some((o) => o.taskArn === outcome.taskArn))
      return 'already-recorded';
    if (this.runs.get(key)?.status !== 'running' || (this.open.get(key) ?? 0) < 2)
      return 'last-open';
    return (await this.recordOutcome(job, runKey, outcome)) ? 'recorded' : 'already-recorded';
  }

  public async setWatermark(job: string, watermark: Watermark): Promise<void> {
    const current = this.watermarks.get(job);
    if (!current || current.at < watermark.at) this.watermarks.set(job, watermark);
  }
}

export { MemoryJobRunStore };
