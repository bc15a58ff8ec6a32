import type { Action } from './action.ts';
import type { HandlerErrorAlert, NotifyAction } from './alerts/model.ts';
import type { KernelConfig } from './config/aws.ts';
import { InvalidEventError } from './errors.ts';
import { execute, hasEffects } from './execute.ts';
import { classifyFailure, type Failure } from './failures.ts';
import type { EventContext, FunctionDefinition } from './function-definition.ts';
import { type Invocation, standaloneInvocation } from './invocation.ts';
import { MemoryLeaseStore } from './lease/memory-lease-store.ts';
import type { KernelPorts, LeaseStore } from './lease/port.ts';
import {
  closePlan,
  isFirstAttempt,
  type Journal,
  type JournalEntry,
  openPlan,
  planKey,
  recordPlan,
} from './plan-journal.ts';
import type { ActionResult } from './runner.ts';
import type { Runtime } from './runtime.ts';
import { outOfScope } from './scope.ts';

/** What one invocation did. "invalid" input and "failed" (permanent errors) take no retry. */
interface InvocationResult {
  outcome: 'acted' | 'ignored' | 'invalid' | 'failed';
  reason: string;
  actions: ActionResult[];
}

const REPORT_WINDOW_SECONDS = 24 * 60 * 60;

const failureAlert = (
  runtime: Runtime<KernelConfig>,
  context: EventContext,
  failure: Failure,
  now: Date,
): HandlerErrorAlert => {
  const s = context.subject;
  const where = [s.cluster, s.service ?? s.job].filter(Boolean).join('/');
  return {
    kind: 'handler-error',
    severity: 'error',
    subject: s,
    occurredAt: now.toISOString(),
    threadId: `harbormaster-errors-${runtime.functionName}`,
    dedup: {
      key: [
        'handler-error',
        s.account,
        s.region,
        runtime.functionName,
        failure.name,
        where,
        failure.missing ?? '',
      ].join('|'),
      windowSeconds: REPORT_WINDOW_SECONDS,
    },
    functionName: runtime.functionName,
    errorName: failure.name,
    errorMessage: failure.message.slice(0, 1000),
    missing: failure.missing,
    consequence: context.consequence,
  };
};

interface InvokeOptions {
  /** The Lambda invocation (request, attempt, remaining time); a standalone one when absent. */
  invocation?: Invocation;
  /**
   * Whether the event's plan is journaled (default true): a delivery of an event the journal
   * finds handled is dropped. An offline replay decides every recorded event instead.
   */
  journal?: boolean;
}

/** Whatever a function's ports are, the kernel's leases are among them. */
const leasesOf = (ports: unknown): LeaseStore | undefined =>
  (ports as Partial<KernelPorts> | undefined)?.leases;

/**
 * Runs one invocation: parse, load, decide, execute. Bad input is logged, counted and dropped.
 * Failures a retry cannot fix are reported once (an alert naming what is missing) and dropped.
 * Anything else is rethrown so Lambda retries, then dead-letters, the invocation.
 *
 * A decision with effects is recorded first (its plan, under a lease on the event in the claims
 * table, kernel/plan-journal.ts): a retry of the invocation, or a later delivery of the same
 * event, carries out that plan instead of deciding again on a state its own partial work changed,
 * and each side effect of it is done once under its own lease (kernel/execute.ts). Only an
 * attempt that may be a retry reads the journal before deciding.
 */
const invoke = async <E, S, C extends KernelConfig, P, A extends Action>(
  definition: FunctionDefinition<E, S, C, P, A>,
  raw: unknown,
  runtime: Runtime<C>,
  ports: P,
  options: InvokeOptions = {},
): Promise<InvocationResult> => {
  const invocation = options.invocation ?? standaloneInvocation(runtime.now);
  const { log, counters } = runtime.telemetry;
  counters.count('EventsReceived');
  let event: E;
  try {
    event = definition.parse(raw);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    log.error('Invalid event dropped; retrying cannot fix it', { issues: error.issues });
    counters.count('InvalidEvents');
    return { outcome: 'invalid', reason: error.message, actions: [] };
  }
  const context = definition.context(event);
  log.appendKeys({ eventId: context.eventId, ...context.subject });
  // An organisation-wide bus or a replayed archive may bring events this stack must not act on.
  const outside = context.toStack
    ? undefined
    : outOfScope(context.subject, runtime.config.scope, runtime.env);
  if (outside) {
    log.warn('Event outside the configured scope dropped', outside);
    counters.count('EventsOutOfScope');
    return {
      outcome: 'ignored',
      reason: `${outside.value} is not in ${outside.field}`,
      actions: [],
    };
  }
  const now = runtime.now();
  const dryRun = runtime.config.dryRun;
  // A screened event needs neither state nor action: nothing to record, nothing to claim.
  const screened = definition.screen?.(event, runtime.config);
  if (screened) {
    counters.count('DecisionsIgnored');
    log.info('Decided', { event: context.summary, outcome: 'ignored', reason: screened });
    return { outcome: 'ignored', reason: screened, actions: [] };
  }
  const leases = leasesOf(ports);
  // Ports without leases (a definition's own tests): effects are leased in memory, per invocation.
  const effectLeases = leases ?? new MemoryLeaseStore();
  // Input whose sender waits for the answer (a lifecycle hook) is decided afresh on every call:
  // its answer is its effect, which a journaled plan cannot give again, and the sender calls again
  // with what changed (the hookDetails answered, the time); its effects are leased all the same.
  const answered = definition.answer?.applies(raw) === true;
  const journal: Journal | undefined =
    leases && !dryRun && options.journal !== false && !answered
      ? {
          leases,
          key: await planKey(runtime.functionName, context.eventId, raw),
          invocation,
          clock: runtime.now,
        }
      : undefined;
  const run = (actions: readonly (A | NotifyAction)[]) =>
    execute<A | NotifyAction, P>(actions, definition.runners, {
      ports,
      telemetry: runtime.telemetry,
      now,
      dryRun,
      invocation,
      leases: effectLeases,
      clock: runtime.now,
    });
  // Whether this attempt holds the event's plan in the journal (closed when carried out).
  let recorded = false;
  try {
    // A first attempt finds no plan of its own request to carry out: it decides straight away.
    const opened: JournalEntry<A> =
      journal && !isFirstAttempt(raw, now) ? await openPlan<A>(journal) : { kind: 'new' };
    if (opened.kind === 'drop') {
      log.info('Event dropped', { reason: opened.reason });
      counters.count('DuplicateEvents');
      return { outcome: 'ignored', reason: opened.reason, actions: [] };
    }
    let outcome: 'acted' | 'ignored' = 'acted';
    let reason = 'carrying out the plan an earlier attempt recorded for this event';
    let plan: JournalEntry<A> = opened;
    if (plan.kind === 'new') {
      const state = await definition.load(event, ports, runtime.config);
      const decision = definition.decide(event, state, runtime.config, now);
      counters.count(decision.outcome === 'acted' ? 'DecisionsActed' : 'DecisionsIgnored');
      log.info('Decided', {
        event: context.summary,
        outcome: decision.outcome,
        reason: decision.reason,
      });
      ({ outcome, reason } = decision);
      if (decision.actions.length === 0) return { outcome, reason, actions: [] };
      // Record writes alone are decided again on a retry: only effects are worth a plan.
      plan =
        journal && hasEffects(decision.actions, definition.runners)
          ? await recordPlan(journal, decision.actions)
          : { kind: 'carry-out', actions: decision.actions, resumed: false, recorded: false };
      if (plan.kind === 'drop') {
        log.info('Event dropped', { reason: plan.reason });
        counters.count('DuplicateEvents');
        return { outcome: 'ignored', reason: plan.reason, actions: [] };
      }
    }
    if (plan.kind !== 'carry-out') throw new Error('unreachable: no plan to carry out');
    recorded = plan.recorded;
    if (plan.resumed) {
      log.info('Resuming the plan recorded for this event', { actions: plan.actions.length });
      counters.count('PlansResumed');
    }
    const actions = await run(plan.actions);
    if (journal && recorded) await closePlan(journal, { outcome, reason });
    return { outcome, reason, actions };
  } catch (error) {
    const failure = classifyFailure(error);
    if (failure.retryable) {
      log.error('Transient failure; the invocation will be retried', { error: failure });
      counters.count('TransientFailures');
      throw error;
    }
    log.error('Permanent failure reported and dropped', { error: failure });
    counters.count('PermanentFailures');
    const reason = `${failure.name}: ${failure.message}`;
    const alert = failureAlert(runtime, context, failure, now);
    try {
      const actions = await run([{ type: 'notify', alert }]);
      if (journal && recorded) await closePlan(journal, { outcome: 'failed', reason });
      return { outcome: 'failed', reason, actions };
    } catch (reportError) {
      if (classifyFailure(reportError).retryable) throw reportError;
      log.error('The failure could not be reported either', {
        error: classifyFailure(reportError),
      });
      return { outcome: 'failed', reason, actions: [] };
    }
  }
};

export { type InvocationResult, type InvokeOptions, invoke };
