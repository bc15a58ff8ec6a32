import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The folder holding the real events copied from ../shared/fixtures/ecs-events (see SOURCES.md). */
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'events');

type Json = Record<string, unknown>;

/** The names (without .json) of every fixture file. */
const fixtureNames = (): string[] =>
  readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();

/** A fresh copy of a fixture, safe to modify. */
const fixture = (name: string): Json =>
  JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Json;

/** A copy of a fixture with detail fields replaced (undefined deletes a field). */
const withDetail = (name: string, changes: Json, envelope: Json = {}): Json => {
  const event = fixture(name);
  const detail = { ...(event.detail as Json), ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete detail[key];
  return { ...event, ...envelope, detail };
};

/**
 * The CloudTrail record from the AWS docs wrapped in the EventBridge envelope that eb-events.md
 * documents for "AWS API Call via CloudTrail", with the call's name and parameters changed.
 */
const apiCallEvent = (
  eventName: string,
  requestParameters: Json,
  responseElements: Json | null = null,
): Json => {
  const record = fixture('cloudtrail-record-ecs-createcluster-docs');
  return {
    version: '0',
    id: 'd6f8b2a1-7c1e-4bb1-9d3e-ec2a1b0c9f10',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ecs',
    account: record.recipientAccountId,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: { ...record, eventName, requestParameters, responseElements },
  };
};

// The arkime scale-in stop is the richest real STOPPED service task; failure variants derive from it.
const STOPPED_SERVICE_TASK = 'task-stopped-fargate-service-scalein-exit137-arkime';

/** A stopped service task derived from the real arkime event, with its stop fields changed. */
const stoppedTask = (changes: {
  stopCode?: string | undefined;
  stoppedReason?: string | undefined;
  exitCode?: number | undefined;
  containerReason?: string;
  startedBy?: string;
  group?: string;
  taskDefinitionArn?: string;
  extraContainers?: Json[];
}): Json => {
  const event = fixture(STOPPED_SERVICE_TASK);
  const detail = event.detail as Json;
  const [container] = detail.containers as Json[];
  const changed: Json = { ...(container as Json) };
  if ('exitCode' in changes) {
    if (changes.exitCode === undefined) delete changed.exitCode;
    else changed.exitCode = changes.exitCode;
  }
  if (changes.containerReason) changed.reason = changes.containerReason;
  detail.containers = [changed, ...(changes.extraContainers ?? [])];
  for (const key of [
    'stopCode',
    'stoppedReason',
    'startedBy',
    'group',
    'taskDefinitionArn',
  ] as const) {
    if (!(key in changes)) continue;
    if (changes[key] === undefined) delete detail[key];
    else detail[key] = changes[key];
  }
  return event;
};

export {
  apiCallEvent,
  FIXTURES,
  fixture,
  fixtureNames,
  type Json,
  STOPPED_SERVICE_TASK,
  stoppedTask,
  withDetail,
};
