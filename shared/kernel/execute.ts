import type { Action } from './action.ts';
import { LEASE_PERMISSIONS } from './lease/port.ts';
import { runOnce, UncertainEffectError } from './lease/run-once.ts';
import type {
  ActionContext,
  ActionResult,
  ActionRunner,
  RunnerTable,
  RunOutcome,
} from './runner.ts';

const runnerFor = <A extends Action, P>(
  runners: RunnerTable<A, P>,
  action: A,
): ActionRunner<A, P> => {
  const runner = (runners as Record<string, ActionRunner<A, P> | undefined>)[action.type];
  // The types make this unreachable; a decision built outside them still fails loudly.
  if (!runner) throw new Error(`No runner for action "${action.type}" in this function`);
  return runner;
};

/** Runs one action, under its lease when the runner has a side effect to do once. */
const runAction = async <A extends Action, P>(
  runner: ActionRunner<A, P>,
  action: A,
  context: ActionContext<P>,
): Promise<RunOutcome> => {
  const { once } = runner;
  if (!once) return runner.run(action, context);
  const { recover } = once;
  const outcome = await runOnce<RunOutcome>(
    {
      key: once.key(action),
      keepSeconds: once.keepSeconds,
      act: () => runner.run(action, context),
      ...(once.repeatable ? { repeatable: true } : {}),
      ...(recover ? { recover: (lease) => recover(action, context, lease) } : {}),
    },
    context,
  );
  if (outcome.status === 'done') {
    if (outcome.recovered) context.telemetry.counters.count('EffectsRecovered');
    return outcome.result;
  }
  if (outcome.status === 'already')
    return { status: 'skipped', detail: `already done: ${outcome.result.detail}` };
  // Only a runner with neither `recover` nor `repeatable` can leave an effect uncertain.
  throw new UncertainEffectError(runner.describe(action));
};

/**
 * Carries actions out in order: the only place where a decision touches the world. In dry-run it
 * logs and returns what it would have done. An error stops the list and propagates, so that the
 * invocation is retried: the retry replays the same plan (kernel/invoke.ts), and each side effect
 * already done is found done under its lease instead of being done again.
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
    const outcome = await runAction(runner, action, context);
    context.telemetry.log.info('Action carried out', { action: action.type, ...outcome });
    context.telemetry.counters.count(
      outcome.status === 'done' ? 'ActionsExecuted' : 'ActionsSkipped',
    );
    results.push({ ...base, ...outcome });
  }
  return results;
};

/**
 * Whether any of the actions does something outside Harbormaster's own records (a runner with
 * `once` or `effect`): only such a plan is worth recording before it is carried out.
 */
const hasEffects = <A extends Action, P>(
  actions: readonly A[],
  runners: RunnerTable<A, P>,
): boolean =>
  actions.some((action) => {
    const runner = runnerFor(runners, action);
    return runner.once !== undefined || runner.effect === true;
  });

/**
 * The IAM actions a function's runners need, and those of the kernel's plans and leases (every
 * function keeps them in the claims table), for the role test and the packaging check.
 */
const permissionsOf = (runners: Readonly<Record<string, ActionRunner<never, never>>>): string[] => [
  ...new Set([
    ...LEASE_PERMISSIONS,
    ...Object.values(runners).flatMap((runner) => runner.permissions),
  ]),
];

export { execute, hasEffects, permissionsOf };
