import { cloudTrailIdentity } from '../core/identity.ts';
import { uuid } from '../core/ids.ts';
import { isObject, type JsonObject } from '../core/input.ts';
import { cloudTrailResponseDate, isoSeconds } from '../core/time-format.ts';
import type { CallContext, CallOutcome } from '../server/service-types.ts';
import type { EcsContext } from './ecs-context.ts';

// EventBridge receives CloudTrail management events for write calls only (not List*/Describe*).
const WRITE_OPERATIONS = new Set([
  'CreateCluster',
  'DeleteCluster',
  'RegisterTaskDefinition',
  'DeregisterTaskDefinition',
  'CreateService',
  'UpdateService',
  'DeleteService',
  'RunTask',
  'StartTask',
  'StopTask',
  'TagResource',
  'UntagResource',
  'StopServiceDeployment',
  'ContinueServiceDeployment',
]);

// ECS response timestamps appear in CloudTrail records as "Nov 21, 2026, 11:02:17 PM".
const withCloudTrailDates = (value: unknown, key = ''): unknown => {
  if (Array.isArray(value)) return value.map((v) => withCloudTrailDates(v));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = withCloudTrailDates(v, k);
    return out;
  }
  if (typeof value === 'number' && key.endsWith('At')) return cloudTrailResponseDate(value * 1000);
  return value;
};

/** Emits an "AWS API Call via CloudTrail" event for each write call received over the wire. */
export const cloudTrailRecorder =
  (ctx: EcsContext) =>
  (operation: string, input: JsonObject, outcome: CallOutcome, call: CallContext): void => {
    if (!WRITE_OPERATIONS.has(operation)) return;
    const now = ctx.clock.nowMs();
    const error = outcome.error;
    ctx.bus.emit({
      detailType: 'AWS API Call via CloudTrail',
      source: 'aws.ecs',
      resources: [],
      at: now,
      detail: {
        eventVersion: '1.08',
        userIdentity: cloudTrailIdentity(call.principal, ctx.accountId, now),
        eventTime: isoSeconds(now),
        eventSource: 'ecs.amazonaws.com',
        eventName: operation,
        awsRegion: ctx.region,
        sourceIPAddress: call.sourceIp,
        userAgent: call.userAgent,
        ...(error === undefined ? {} : { errorCode: error.code, errorMessage: error.message }),
        requestParameters: structuredClone(input),
        responseElements: error === undefined ? withCloudTrailDates(outcome.output ?? null) : null,
        requestID: call.requestId,
        eventID: uuid(),
        eventType: 'AwsApiCall',
        recipientAccountId: ctx.accountId,
      },
    });
  };
