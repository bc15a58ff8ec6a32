import type { Action } from './action.ts';
import type { HandlerErrorAlert, NotifyAction } from './alerts/model.ts';
import type { KernelConfig } from './config/aws.ts';
import { InvalidEventError } from './errors.ts';
import { execute } from './execute.ts';
import { classifyFailure, type Failure } from './failures.ts';
import type { EventContext, FunctionDefinition } from './function-definition.ts';
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

/**
 * Runs one invocation: parse, load, decide, execute. Bad input is logged, counted and dropped.
 * Failures a retry cannot fix are reported once (an alert naming what is missing) and dropped.
 * Anything else is rethrown so Lambda retries, then dead-letters, the invocation.
 */
const invoke = async <E, S, C extends KernelConfig, P, A extends Action>(
  definition: FunctionDefinition<E, S, C, P, A>,
  raw: unknown,
  runtime: Runtime<C>,
  ports: P,
): Promise<InvocationResult> => {
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
  const outside = outOfScope(context.subject, runtime.config.scope, runtime.env);
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
  const screened = definition.screen?.(event, runtime.config);
  if (screened) {
    counters.count('DecisionsIgnored');
    log.info('Decided', { event: context.summary, outcome: 'ignored', reason: screened });
    return { outcome: 'ignored', reason: screened, actions: [] };
  }
  try {
    const state = await definition.load(event, ports, runtime.config);
    const decision = definition.decide(event, state, runtime.config, now);
    counters.count(decision.outcome === 'acted' ? 'DecisionsActed' : 'DecisionsIgnored');
    log.info('Decided', {
      event: context.summary,
      outcome: decision.outcome,
      reason: decision.reason,
    });
    const actions = await execute<A | NotifyAction, P>(decision.actions, definition.runners, {
      ports,
      telemetry: runtime.telemetry,
      now,
      dryRun,
    });
    return { outcome: decision.outcome, reason: decision.reason, actions };
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
      const report: NotifyAction = { type: 'notify', alert };
      const actions = await execute<A | NotifyAction, P>([report], definition.runners, {
        ports,
        telemetry: runtime.telemetry,
        now,
        dryRun,
      });
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

export { type InvocationResult, invoke };
