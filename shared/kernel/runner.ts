import type { Action } from './action.ts';
import type { Telemetry } from './telemetry.ts';

/** What carrying out one action did. */
interface ActionResult {
  type: string;
  status: 'done' | 'dry-run' | 'skipped';
  detail: string;
  action: Action;
}

/** What an action runner can use: the ports its function wires, telemetry and the clock. */
interface ActionContext<P = unknown> {
  ports: P;
  telemetry: Telemetry;
  now: Date;
}

/**
 * How one action type is carried out. `permissions` lists the IAM actions it needs, so a test can
 * check each function's role grants exactly what its actions use (Cloud Custodian's habit). `P` is
 * the part of the ports it needs.
 */
interface ActionRunner<A extends Action, P = unknown> {
  permissions: readonly string[];
  describe(action: A): string;
  run(action: A, context: ActionContext<P>): Promise<Pick<ActionResult, 'status' | 'detail'>>;
}

/** A runner for every type of the action union `A`: the compiler checks none is missing. */
type RunnerTable<A extends Action, P = unknown> = {
  [T in A['type']]: ActionRunner<Extract<A, { type: T }>, P>;
};

export type { ActionContext, ActionResult, ActionRunner, RunnerTable };
