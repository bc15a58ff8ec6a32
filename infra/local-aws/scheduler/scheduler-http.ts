import type { IncomingMessage } from 'node:http';
import { AwsError } from '../core/aws-error.ts';
import type { CallLog } from '../core/call-log.ts';
import type { SimClock } from '../core/clock.ts';
import { uuid } from '../core/ids.ts';
import type { LocalScheduler } from './local-scheduler.ts';
import { parseScheduleExpression } from './schedule-expression.ts';

/**
 * EventBridge Scheduler's REST-JSON API (restJson1: `POST /schedules/{Name}` CreateSchedule,
 * `DELETE /schedules/{Name}?groupName=` DeleteSchedule, `GET /schedules/{Name}?groupName=`
 * GetSchedule), with the constraints and errors its API reference documents:
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html,
 * API_DeleteSchedule.html, API_GetSchedule.html and API_FlexibleTimeWindow.html.
 */

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface SchedulerHttpDeps {
  scheduler: LocalScheduler;
  calls: CallLog;
  clock: SimClock;
  region: string;
  accountId: string;
}

// Name and GroupName: "Length Constraints: Minimum length of 1. Maximum length of 64. Pattern:
// ^[0-9a-zA-Z-_.]+$"; ClientToken: 1 to 64, ^[a-zA-Z0-9-_]+$.
const NAME = /^[0-9a-zA-Z_.-]{1,64}$/;
const CLIENT_TOKEN = /^[a-zA-Z0-9_-]{1,64}$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const LAMBDA_ARN = /^arn:aws(-[a-z]+)?:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]{1,64})$/;

const STATUS: Record<string, number> = {
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  ServiceQuotaExceededException: 402,
  ThrottlingException: 429,
  InternalServerException: 500,
};

const error = (code: string, message: string) => new AwsError(code, message, STATUS[code] ?? 400);
const invalid = (message: string) => error('ValidationException', message);

const reply = (status: number, body: unknown, requestId: string): Reply => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
  body: JSON.stringify(body),
});

const errorReply = (e: AwsError, requestId: string): Reply => ({
  status: e.status,
  headers: {
    'content-type': 'application/json',
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': e.code,
  },
  body: JSON.stringify({ Message: e.message }),
});

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const checkName = (field: string, value: string | undefined): string => {
  if (value === undefined || !NAME.test(value))
    throw invalid(
      `1 validation error detected: Value '${String(value).slice(0, 100)}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$ and have length between 1 and 64`,
    );
  return value;
};

const checkFlexibleTimeWindow = (window: unknown): void => {
  const w = window as { Mode?: unknown; MaximumWindowInMinutes?: unknown } | undefined;
  if (!w || (w.Mode !== 'OFF' && w.Mode !== 'FLEXIBLE'))
    throw invalid('FlexibleTimeWindow.Mode is required: OFF or FLEXIBLE');
  const max = w.MaximumWindowInMinutes;
  if (max !== undefined && (typeof max !== 'number' || max < 1 || max > 1440))
    throw invalid('FlexibleTimeWindow.MaximumWindowInMinutes must be between 1 and 1440');
  if (w.Mode === 'FLEXIBLE' && max === undefined)
    throw invalid('FlexibleTimeWindow.MaximumWindowInMinutes is required when Mode is FLEXIBLE');
};

/** The part of CreateSchedule's input the stand-in models. */
const createSchedule = (deps: SchedulerHttpDeps, name: string, input: Record<string, unknown>) => {
  checkName('name', name);
  const group = input.GroupName === undefined ? 'default' : str(input.GroupName);
  checkName('groupName', group);
  if (input.ClientToken !== undefined && !CLIENT_TOKEN.test(str(input.ClientToken) ?? ''))
    throw invalid('ClientToken must match ^[a-zA-Z0-9-_]+$, 1 to 64 characters');
  const expression = str(input.ScheduleExpression);
  if (!expression || expression.length > 256)
    throw invalid('ScheduleExpression is required (1 to 256 characters)');
  try {
    parseScheduleExpression(expression);
  } catch (e) {
    throw invalid((e as Error).message);
  }
  checkFlexibleTimeWindow(input.FlexibleTimeWindow);
  const action = input.ActionAfterCompletion ?? 'NONE';
  if (action !== 'NONE' && action !== 'DELETE')
    throw invalid('ActionAfterCompletion must be NONE or DELETE');
  const state = input.State ?? 'ENABLED';
  if (state !== 'ENABLED' && state !== 'DISABLED')
    throw invalid('State must be ENABLED or DISABLED');
  const target = input.Target as { Arn?: unknown; RoleArn?: unknown } | undefined;
  const targetArn = str(target?.Arn);
  const roleArn = str(target?.RoleArn);
  if (!targetArn || !roleArn) throw invalid('Target.Arn and Target.RoleArn are required');
  if (!ROLE_ARN.test(roleArn)) throw invalid(`Target.RoleArn is not a role ARN: ${roleArn}`);
  const fn = LAMBDA_ARN.exec(targetArn)?.[2];
  // The stand-in invokes Lambda functions only (the targets Harbormaster uses).
  if (!fn) throw invalid(`Target.Arn is not a Lambda function ARN: ${targetArn.slice(0, 200)}`);
  if (!deps.scheduler.hasGroup(group as string))
    throw error('ResourceNotFoundException', `Schedule group ${group} does not exist.`);
  const timezone = str(input.ScheduleExpressionTimezone) ?? 'UTC';
  let outcome: 'created' | 'exists';
  try {
    outcome = deps.scheduler.add({
      name,
      group: group as string,
      expression,
      timezone,
      state,
      target: fn,
      actionAfterCompletion: action,
    });
  } catch (e) {
    throw invalid((e as Error).message);
  }
  if (outcome === 'exists') throw error('ConflictException', `Schedule ${name} already exists.`);
  return { ScheduleArn: deps.scheduler.arnOf(name) };
};

const groupOf = (url: URL): string => {
  const group = url.searchParams.get('groupName') ?? 'default';
  return checkName('groupName', group);
};

const route = (deps: SchedulerHttpDeps, method: string, url: URL, body: string): unknown => {
  const name = decodeURIComponent(url.pathname.slice('/schedules/'.length));
  if (method === 'POST') {
    const input: unknown = body === '' ? {} : JSON.parse(body);
    return createSchedule(deps, name, input as Record<string, unknown>);
  }
  checkName('name', name);
  const group = groupOf(url);
  const token = url.searchParams.get('clientToken');
  if (token !== null && !CLIENT_TOKEN.test(token))
    throw invalid('clientToken must match ^[a-zA-Z0-9-_]+$, 1 to 64 characters');
  const found = deps.scheduler.schedules().find((s) => s.name === name && s.group === group);
  if (!found) throw error('ResourceNotFoundException', `Schedule ${name} does not exist.`);
  if (method === 'DELETE') {
    deps.scheduler.deleteSchedule(name);
    return {};
  }
  return {
    Name: found.name,
    GroupName: found.group,
    Arn: deps.scheduler.arnOf(name),
    ScheduleExpression: found.expression,
    ScheduleExpressionTimezone: found.timezone,
    State: found.state,
    ActionAfterCompletion: found.actionAfterCompletion ?? 'NONE',
    Target: {
      Arn: `arn:aws:lambda:${deps.region}:${deps.accountId}:function:${found.target}`,
    },
  };
};

const OPERATIONS: Record<string, string> = {
  POST: 'CreateSchedule',
  DELETE: 'DeleteSchedule',
  GET: 'GetSchedule',
};

/** Handles `/schedules/{Name}` requests (already authenticated by the endpoint). */
export const handleSchedulerRequest = (
  deps: SchedulerHttpDeps,
  req: IncomingMessage,
  body: string,
): Reply => {
  const requestId = uuid();
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://local');
  const operation = OPERATIONS[method] ?? method;
  const record = (status: number, errorCode?: string) =>
    deps.calls.record({
      service: 'scheduler',
      operation,
      input: { path: url.pathname, query: url.search, body: body.slice(0, 2000) },
      at: deps.clock.now(),
      receivedAtMs: Date.now(),
      status,
      requestId,
      ...(errorCode === undefined ? {} : { errorCode }),
      userAgent: String(req.headers['user-agent'] ?? ''),
    });
  try {
    if (!OPERATIONS[method]) throw error('ValidationException', `Unsupported method ${method}`);
    const output = route(deps, method, url, body);
    record(200);
    return reply(200, output, requestId);
  } catch (caught) {
    const e =
      caught instanceof AwsError
        ? caught
        : caught instanceof SyntaxError
          ? invalid('Malformed JSON body')
          : error('InternalServerException', String(caught));
    record(e.status, e.code);
    return errorReply(e, requestId);
  }
};
