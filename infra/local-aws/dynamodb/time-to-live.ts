import { isObject, type JsonObject } from '../core/input.ts';
import { validation } from './attribute-values.ts';

/**
 * Time to Live (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html), modelled at
 * the documented bounds so that tests never see TTL kinder than AWS:
 * - "It can take up to one hour for the change to fully process. Any additional UpdateTimeToLive
 *   calls for the same table during this one hour duration result in a ValidationException": the
 *   table reports ENABLING (DISABLING) for one simulated hour and expires nothing meanwhile.
 * - "DynamoDB typically deletes expired items within two days of expiration ... Items that have
 *   expired and not been deleted will still show up in reads, queries, and scans": an item whose
 *   TTL attribute (a Number, epoch seconds) has passed is deleted `deletionDelayMs` (48 hours by
 *   default) after that time. The deletion is applied lazily, whenever the table is next used,
 *   which no caller can tell apart from a background sweep.
 * - Items whose TTL value is more than five years in the past are ignored by the TTL process.
 */
export interface TimeToLive {
  attributeName: string;
  enabled: boolean;
  /** When the last UpdateTimeToLive finishes processing (epoch ms). */
  settledAt: number;
}

const PROCESSING_MS = 3_600_000;
const FIVE_YEARS_S = 5 * 365 * 86_400;

/** TTL as a CloudFormation table declares it: in force at once. */
export const ttlFromTable = (input: JsonObject): TimeToLive | undefined => {
  const spec = input.TimeToLiveSpecification;
  if (!isObject(spec) || spec.Enabled !== true || typeof spec.AttributeName !== 'string')
    return undefined;
  return { attributeName: spec.AttributeName, enabled: true, settledAt: 0 };
};

/** UpdateTimeToLive: validates the change and returns the new state with the API's output. */
export const updateTimeToLive = (
  current: TimeToLive | undefined,
  input: JsonObject,
  now: number,
): { ttl: TimeToLive; output: JsonObject } => {
  const spec = isObject(input.TimeToLiveSpecification) ? input.TimeToLiveSpecification : undefined;
  if (spec === undefined || typeof spec.Enabled !== 'boolean')
    throw validation(
      "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
    );
  const name = typeof spec.AttributeName === 'string' ? spec.AttributeName : '';
  if (name === '')
    throw validation(
      "1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null",
    );
  if (current !== undefined && now < current.settledAt)
    throw validation('Time to live has been modified multiple times within a fixed interval');
  const enabled = current?.enabled === true;
  if (spec.Enabled && enabled) throw validation('TimeToLive is already enabled');
  if (!spec.Enabled && !enabled) throw validation('TimeToLive is already disabled');
  return {
    ttl: { attributeName: name, enabled: spec.Enabled, settledAt: now + PROCESSING_MS },
    output: { TimeToLiveSpecification: { AttributeName: name, Enabled: spec.Enabled } },
  };
};

/** DescribeTimeToLive's output. */
export const describeTimeToLive = (ttl: TimeToLive | undefined, now: number): JsonObject => {
  if (ttl === undefined) return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
  const settled = now >= ttl.settledAt;
  const status = ttl.enabled
    ? settled
      ? 'ENABLED'
      : 'ENABLING'
    : settled
      ? 'DISABLED'
      : 'DISABLING';
  return {
    TimeToLiveDescription: {
      TimeToLiveStatus: status,
      ...(status === 'DISABLED' ? {} : { AttributeName: ttl.attributeName }),
    },
  };
};

/** Whether the TTL process has deleted an item by `now`. */
export const isDeletedByTtl = (
  ttl: TimeToLive | undefined,
  item: JsonObject,
  now: number,
  deletionDelayMs: number,
): boolean => {
  if (ttl === undefined || !ttl.enabled || now < ttl.settledAt) return false;
  const value = item[ttl.attributeName];
  if (!isObject(value) || typeof value.N !== 'string') return false;
  const expiresAt = Number(value.N);
  if (!Number.isFinite(expiresAt) || expiresAt < now / 1000 - FIVE_YEARS_S) return false;
  return expiresAt * 1000 + deletionDelayMs <= now;
};
