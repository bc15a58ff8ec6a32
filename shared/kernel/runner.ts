import type { Action, ActionType } from './action.ts';
import type { Ports } from './ports.ts';
import type { Telemetry } from './telemetry.ts';

/** What carrying out one action did. */
interface ActionResult {
  type: ActionType;
  status: 'done' | 'dry-run' | 'skipped';
  detail: string;
  action: Action;
}

/** What an action runner can use. */
interface ActionContext {
  ports: Ports;
  telemetry: Telemetry;
  now: Date;
}

/**
 * How one action type is carried out. `permissions` lists the IAM actions it needs, so a test can
 * check each function's role grants exactly what its actions use (Cloud Custodian's habit).
 */
interface ActionRunner<A extends Action> {
  permissions: readonly string[];
  describe(action: A): string;
  run(action: A, context: ActionContext): Promise<Pick<ActionResult, 'status' | 'detail'>>;
}

type ActionRunners = { [T in ActionType]: ActionRunner<Extract<Action, { type: T }>> };

export type { ActionContext, ActionResult, ActionRunner, ActionRunners };
