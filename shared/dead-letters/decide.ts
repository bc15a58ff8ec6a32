import type { AlertSubject } from '#kernel/alerts/model.ts';
import { act, type Decision } from '#kernel/decision.ts';
import { parseArn } from '#kernel/events/arn.ts';
import { type HarbormasterEvent, parseEvent } from '#kernel/events/parse.ts';
import { redactDeep, redactSecrets } from '#kernel/secrets.ts';
import type { DeadLetterAction } from './actions.ts';
import type { DestinationRecord } from './destination-record.ts';

const WINDOW_SECONDS = 24 * 60 * 60;

// What is left undone when each function gives up on an event, by the function's logical name.
const CONSEQUENCES: Readonly<Record<string, (where: string) => string>> = {
  'service-alerts': (where) => `An ECS alert for ${where} was not delivered.`,
  'deployment-guard': (where) =>
    `The deployment guard did not act on this event: ${where} was left unguarded for it.`,
  'policy-enforcer': (where) => `Policies were not enforced for this event on ${where}.`,
  'batch-jobs': (where) => `A batch job step did not run for ${where}: the run may be incomplete.`,
};

const safeParse = (payload: unknown): HarbormasterEvent | undefined => {
  try {
    return parseEvent(payload);
  } catch {
    return undefined;
  }
};

const subjectOf = (event: HarbormasterEvent | undefined, functionArn: string): AlertSubject => {
  const arn = parseArn(functionArn);
  const base = {
    account: event?.meta.account ?? arn?.account ?? 'unknown',
    region: event?.meta.region ?? arn?.region ?? 'unknown',
  };
  if (!event) return base;
  switch (event.kind) {
    case 'task-state-change':
      return {
        ...base,
        cluster: event.task.cluster,
        service: event.task.service,
        taskArn: event.task.taskArn,
      };
    case 'deployment-state-change':
    case 'service-action':
      return { ...base, cluster: event.subject.cluster, service: event.subject.service };
    case 'scheduled':
      return { ...base, job: event.scheduleArn.split('/').pop() };
    default:
      return base;
  }
};

const summarise = (event: HarbormasterEvent | undefined, subject: AlertSubject): string => {
  if (!event) return 'an event Harbormaster could not parse';
  const where = [subject.cluster, subject.service ?? subject.job].filter(Boolean).join('/');
  return `${event.meta.detailType}${where ? ` for ${where}` : ''}${event.meta.id ? ` (event ${event.meta.id})` : ''}`;
};

/** What was left undone, by the function's logical name ("service-alerts" in "harbormaster-prod-service-alerts"). */
const consequenceOf = (functionName: string, where: string): string => {
  // Matched by suffix against the table's own keys: a function named "constructor" finds none.
  const name = Object.keys(CONSEQUENCES).find((logical) => functionName.endsWith(logical));
  const consequence = name === undefined ? undefined : CONSEQUENCES[name];
  return consequence?.(where) ?? `${functionName} did not act on an event for ${where}.`;
};

/** The error Lambda recorded, read field by field: the payload is whatever the function threw. */
const errorOf = (payload: unknown): { errorType?: string; errorMessage?: string } => {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return {};
  const { errorType, errorMessage } = payload as Record<string, unknown>;
  return {
    ...(typeof errorType === 'string' ? { errorType: errorType.slice(0, 200) } : {}),
    ...(typeof errorMessage === 'string'
      ? { errorMessage: redactSecrets(errorMessage).slice(0, 1000) }
      : {}),
  };
};

/**
 * The record as parked: the secrets this instance holds are removed wherever they appear, and any
 * Slack webhook URL from the error Lambda recorded (its message and stack trace).
 */
const parkable = (record: DestinationRecord): unknown => {
  const { responsePayload, ...rest } = record;
  return {
    ...(redactDeep(rest, { shapes: false }) as object),
    ...(responsePayload === undefined ? {} : { responsePayload: redactDeep(responsePayload) }),
  };
};

/** Decides the alert and the parking of a dead-lettered invocation. Pure. */
const decideDeadLetter = (record: DestinationRecord): Decision<DeadLetterAction> => {
  const { requestContext, responsePayload } = record;
  const functionName = requestContext.functionArn.split(':')[6] ?? requestContext.functionArn;
  const event = safeParse(record.requestPayload);
  const subject = subjectOf(event, requestContext.functionArn);
  const where =
    [subject.cluster, subject.service ?? subject.job].filter(Boolean).join('/') ||
    'an ECS resource';
  const error = errorOf(responsePayload);
  const consequence = consequenceOf(functionName, where);
  return act(`${functionName} gave up after ${requestContext.approximateInvokeCount} attempts`, [
    {
      type: 'notify',
      alert: {
        kind: 'dead-letter',
        severity: 'error',
        subject,
        occurredAt: record.timestamp,
        threadId: `harbormaster-dead-letters-${functionName}`,
        dedup: { key: `dead-letter|${requestContext.requestId}`, windowSeconds: WINDOW_SECONDS },
        functionName,
        errorType: error.errorType ?? requestContext.condition,
        errorMessage: error.errorMessage ?? 'no error message',
        attempts: requestContext.approximateInvokeCount,
        eventSummary: summarise(event, subject),
        consequence,
      },
    },
    { type: 'park-dead-letter', functionName, record: parkable(record) },
  ]);
};

export { decideDeadLetter };
