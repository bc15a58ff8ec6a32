import type { Action } from './action.ts';
import type { ActionContext, ActionResult, ActionRunner, RunnerTable } from './runner.ts';

const runnerFor = <A extends Action, P>(
  runners: RunnerTable<A, P>,
  action: A,
): ActionRunner<A, P> => {
  const runner = (runners as Record<string, ActionRunner<A, P> | undefined>)[action.type];
  // The types make this unreachable; a decision built outside them still fails loudly.
  if (!runner) throw new Error(`No runner for action "${action.type}" in this function`);
  return runner;
};

/**
 * Carries actions out in order: the only place where a decision touches the world. In dry-run it
 * logs and returns what it would have done. An error stops the list and propagates, so that the
 * invocation is retried; every runner is safe to repeat, so the actions already done may run again.
 */
const execute = async <A extends Action, P>(
  actions: readonly A[],
  runners: RunnerTable<A, P>,
  context: ActionContext<P> & { dryRun: boolean },
): Promise<ActionResult[]> => {
  const results: ActionResult[] = [];
  for (const action of actions) {
    const runner = runnerFor(runners, action);
    const base = { type: action.type, action };
    if (context.dryRun) {
      const detail = `would ${runner.describe(action)}`;
      context.telemetry.log.info('Dry run: action not carried out', {
        action: action.type,
        detail,
      });
      context.telemetry.counters.count('DryRunActions');
      results.push({ ...base, status: 'dry-run', detail });
      continue;
    }
    const outcome = await runner.run(action, context);
    context.telemetry.log.info('Action carried out', { action: action.type, ...outcome });
    context.telemetry.counters.count(
      outcome.status === 'done' ? 'ActionsExecuted' : 'ActionsSkipped',
    );
    results.push({ ...base, ...outcome });
  }
  return results;
};

/** The IAM actions the runners of a table need, for the role test and the packaging check. */
const permissionsOf = (runners: Readonly<Record<string, ActionRunner<never, never>>>): string[] => [
  ...new Set(Object.values(runners).flatMap((runner) => runner.permissions)),
];

export { execute, permissionsOf };
