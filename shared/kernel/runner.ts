import type { Action } from './action.ts';
import type { Invocation } from './invocation.ts';
import type { LeaseRecord, LeaseStore } from './lease/port.ts';
import type { Telemetry } from './telemetry.ts';

/** What carrying out one action did. */
interface ActionResult {
  type: string;
  status: 'done' | 'dry-run' | 'skipped';
  detail: string;
  action: Action;
}

type RunOutcome = Pick<ActionResult, 'status' | 'detail'>;

/**
 * What an action runner can use: the ports its function wires, telemetry, the time the decision
 * was made at, the invocation (who, and how long it has left) and the leases that make side
 * effects happen once.
 */
interface ActionContext<P = unknown> {
  ports: P;
  telemetry: Telemetry;
  now: Date;
  invocation: Invocation;
  leases: LeaseStore;
  /** The runtime's clock, for lease times (`now` stays the decision's time). */
  clock: () => Date;
}

/**
 * How the executor makes a runner's side effect happen once (kernel/lease/run-once.ts): the lease
 * key names the effect, whoever decides it, and how a takeover of a dead holder's lease is
 * treated: `recover` finds out what it did, `repeatable` does it again; with neither, a holder
 * that began the act leaves it uncertain.
 */
interface OncePolicy<A extends Action, P> {
  key(action: A): string;
  /** How long the done record is kept: a decision repeated within it finds the effect done. */
  keepSeconds: number;
  repeatable?: boolean;
  recover?(
    action: A,
    context: ActionContext<P>,
    lease: LeaseRecord,
  ): Promise<RunOutcome | undefined>;
}

/**
 * How one action type is carried out. `permissions` lists the IAM actions it needs, so a test can
 * check each function's role grants exactly what its actions use (Cloud Custodian's habit). `P` is
 * the part of the ports it needs. A runner with `once` has a side effect the executor does under a
 * lease; one with `effect` has side effects it leases itself (an alert per channel, RunTask per
 * launch); any other only writes Harbormaster's own records, each write safe to repeat.
 */
interface ActionRunner<A extends Action, P = unknown> {
  permissions: readonly string[];
  describe(action: A): string;
  run(action: A, context: ActionContext<P>): Promise<RunOutcome>;
  once?: OncePolicy<A, P>;
  /**
   * It acts outside Harbormaster's own records (an alert, an ECS call) under leases of its own. A
   * plan holding such an action, or one with `once`, is recorded before it is carried out
   * (kernel/plan-journal.ts); a plan of record writes only is simply decided again on a retry.
   */
  effect?: true;
}

/** A runner for every type of the action union `A`: the compiler checks none is missing. */
type RunnerTable<A extends Action, P = unknown> = {
  [T in A['type']]: ActionRunner<Extract<A, { type: T }>, P>;
};

export type { ActionContext, ActionResult, ActionRunner, OncePolicy, RunnerTable, RunOutcome };
