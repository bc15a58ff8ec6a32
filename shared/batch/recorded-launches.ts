import type { RunTaskRequest, RunTaskResult } from '#aws/ecs/port.ts';
import type { HarbormasterEvent } from '#kernel/events/parse.ts';

/**
 * The tasks a recording shows each startedBy started, in the order they appear. A replayed RunTask
 * is answered with them: which tasks ECS started is a fact of the recording, not something a
 * replay can make up. A launch the recording has no tasks for is answered as unavailable, so the
 * batch job decides as it would after a failed call.
 */
class RecordedLaunches {
  readonly #tasks = new Map<string, string[]>();
  readonly #given = new Set<string>();
  /** ECS answers a repeated client token with the tasks of the first call. */
  readonly #answers = new Map<string, RunTaskResult>();

  /** Reads the whole recording ahead of the replay. */
  constructor(events: readonly HarbormasterEvent[]) {
    for (const event of events) {
      if (event.kind !== 'task-state-change') continue;
      const { startedBy, taskArn } = event.raw.detail;
      if (!startedBy || !taskArn) continue;
      const tasks = this.#tasks.get(startedBy) ?? [];
      if (!tasks.includes(taskArn)) tasks.push(taskArn);
      this.#tasks.set(startedBy, tasks);
    }
  }

  /** The startedBy values the recording shows, for telling which stage recorded it. */
  startedBy(): string[] {
    return [...this.#tasks.keys()];
  }

  runTask(request: RunTaskRequest): RunTaskResult {
    const answered = this.#answers.get(request.clientToken);
    if (answered) return answered;
    const result = this.#launch(request);
    if (result.outcome === 'launched') this.#answers.set(request.clientToken, result);
    return result;
  }

  #launch(request: RunTaskRequest): RunTaskResult {
    const taskArns = (this.#tasks.get(request.startedBy) ?? [])
      .filter((arn) => !this.#given.has(arn))
      .slice(0, request.count);
    if (taskArns.length === 0) {
      return {
        outcome: 'unavailable',
        error: {
          name: 'NotInRecording',
          message: `the recording shows no more tasks started by ${request.startedBy}`,
        },
      };
    }
    for (const arn of taskArns) this.#given.add(arn);
    const missing = request.count - taskArns.length;
    return {
      outcome: 'launched',
      taskArns,
      failures: Array.from({ length: missing }, () => ({
        reason: 'NOT_IN_RECORDING',
        detail: 'the recording shows fewer tasks for this launch',
      })),
    };
  }
}

export { RecordedLaunches };
