import type { AlertSubject } from '#kernel/alerts/model.ts';
import { act, type Decision } from '#kernel/decision.ts';
import { parseArn } from '#kernel/events/arn.ts';
import { type HarbormasterEvent, parseEvent } from '#kernel/events/parse.ts';
import type { DeadLetterAction } from './actions.ts';
import type { DestinationRecord } from './destination-record.ts';

const WINDOW_SECONDS = 24 * 60 * 60;

// What is left undone when each function gives up on an event, by the function's logical name.
const CONSEQUENCES: Record<string, (where: string) => string> = {
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

/** The function's logical name, e.g. "service-alerts" from "harbormaster-prod-service-alerts". */
const logicalName = (functionName: string): string =>
  Object.keys(CONSEQUENCES).find((name) => functionName.endsWith(name)) ?? functionName;

/** Decides the alert and the parking of a dead-lettered invocation. Pure. */
const decideDeadLetter = (record: DestinationRecord): Decision<DeadLetterAction> => {
  const { requestContext, responsePayload } = record;
  const functionName = requestContext.functionArn.split(':')[6] ?? requestContext.functionArn;
  const event = safeParse(record.requestPayload);
  const subject = subjectOf(event, requestContext.functionArn);
  const where =
    [subject.cluster, subject.service ?? subject.job].filter(Boolean).join('/') ||
    'an ECS resource';
  const error = (responsePayload ?? {}) as { errorType?: string; errorMessage?: string };
  const consequence =
    CONSEQUENCES[logicalName(functionName)]?.(where) ??
    `${functionName} did not act on an event for ${where}.`;
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
        errorMessage: (error.errorMessage ?? 'no error message').slice(0, 1000),
        attempts: requestContext.approximateInvokeCount,
        eventSummary: summarise(event, subject),
        consequence,
      },
    },
    { type: 'park-dead-letter', functionName, record },
  ]);
};

export { decideDeadLetter };
