/** Keeps failed invocation records for inspection and redrive. */
interface DeadLetterQueue {
  park(functionName: string, record: unknown): Promise<void>;
}

export type { DeadLetterQueue };
