import * as v from 'valibot';
import { InvalidEventError } from '../errors.ts';
import { type AlarmStateChangeEvent, alarmStateChangeSchema } from './alarm-state-change.ts';
import { type ApiCallEvent, apiCallSchema } from './api-call.ts';
import {
  clusterName,
  parseArn,
  type ServiceDeploymentRef,
  serviceDeploymentFromArn,
  serviceFromArn,
} from './arn.ts';
import {
  type ContainerInstanceStateChangeEvent,
  containerInstanceStateChangeSchema,
} from './container-instance-state-change.ts';
import {
  type DeploymentStateChangeEvent,
  deploymentStateChangeSchema,
} from './deployment-state-change.ts';
import { type HookStateChangeEvent, hookStateChangeSchema } from './hook-state-change.ts';
import {
  type LifecycleHookEvent,
  lifecycleHookSchema,
  looksLikeHookInvocation,
} from './lifecycle-hook.ts';
import { normaliseScheduled, type ScheduledEvent, scheduledEventSchema } from './scheduled.ts';
import { describeInput, formatPath, toFieldIssues } from './schema-helpers.ts';
import { type ServiceActionEvent, serviceActionSchema } from './service-action.ts';
import { type TaskFacts, taskFacts } from './task-facts.ts';
import { type TaskStateChangeEvent, taskStateChangeSchema } from './task-state-change.ts';

/** EventBridge caps an event at 256 KiB; anything larger did not come from EventBridge. */
const MAX_DETAIL_CHARACTERS = 262_144;

/** Envelope facts every handler uses, with account, region and time derived when a capture omits them. */
interface EventMeta {
  id: string | undefined;
  detailType: string;
  source: string;
  account: string;
  region: string;
  /** When the emitting service says it happened; absent only in trimmed captures. */
  time: Date | undefined;
}

/** A service named by a service event, with the cluster filled in from detail.clusterArn if needed. */
interface ServiceSubject {
  serviceArn: string;
  cluster: string;
  service: string;
}

/** Every event Harbormaster understands, discriminated by `kind`. */
type HarbormasterEvent =
  | { kind: 'task-state-change'; meta: EventMeta; raw: TaskStateChangeEvent; task: TaskFacts }
  | {
      kind: 'deployment-state-change';
      meta: EventMeta;
      raw: DeploymentStateChangeEvent;
      subject: ServiceSubject;
    }
  | { kind: 'service-action'; meta: EventMeta; raw: ServiceActionEvent; subject: ServiceSubject }
  | {
      kind: 'container-instance-state-change';
      meta: EventMeta;
      raw: ContainerInstanceStateChangeEvent;
    }
  | { kind: 'api-call'; meta: EventMeta; raw: ApiCallEvent }
  | { kind: 'alarm-state-change'; meta: EventMeta; raw: AlarmStateChangeEvent }
  | { kind: 'scheduled'; meta: EventMeta; raw: ScheduledEvent; scheduleArn: string }
  | {
      kind: 'hook-state-change';
      meta: EventMeta;
      raw: HookStateChangeEvent;
      deployment: ServiceDeploymentRef & { arn: string };
    }
  | {
      kind: 'lifecycle-hook';
      meta: EventMeta;
      raw: LifecycleHookEvent;
      deployment: ServiceDeploymentRef & { arn: string };
    };

type EventKind = HarbormasterEvent['kind'];
type EventOfKind<K extends EventKind> = Extract<HarbormasterEvent, { kind: K }>;

const SCHEMAS: Record<string, { kind: EventKind; schema: () => v.GenericSchema }> = {
  'ECS Task State Change': { kind: 'task-state-change', schema: taskStateChangeSchema },
  'ECS Deployment State Change': {
    kind: 'deployment-state-change',
    schema: deploymentStateChangeSchema,
  },
  'ECS Service Action': { kind: 'service-action', schema: serviceActionSchema },
  'ECS Container Instance State Change': {
    kind: 'container-instance-state-change',
    schema: containerInstanceStateChangeSchema,
  },
  'AWS API Call via CloudTrail': { kind: 'api-call', schema: apiCallSchema },
  'CloudWatch Alarm State Change': { kind: 'alarm-state-change', schema: alarmStateChangeSchema },
  'Scheduled Event': { kind: 'scheduled', schema: scheduledEventSchema },
  'ECS Hook State Change': { kind: 'hook-state-change', schema: hookStateChangeSchema },
};

/**
 * The name logs and replays give an ECS lifecycle hook invocation, which is a Lambda payload and
 * not an EventBridge event (it has no detail-type of its own).
 */
const HOOK_INVOCATION = 'ECS Lifecycle Hook Invocation';

/** The detail-types parseEvent accepts. */
const SUPPORTED_DETAIL_TYPES = Object.keys(SCHEMAS);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const fail = (path: string, message: string, detailType?: string): never => {
  throw new InvalidEventError([{ path, message }], detailType);
};

const detailSize = (detail: unknown): number | undefined => {
  if (typeof detail === 'string') return detail.length;
  try {
    return JSON.stringify(detail ?? null).length;
  } catch {
    return undefined;
  }
};

const checkShape = (raw: unknown): { detailType: string } => {
  if (!isRecord(raw)) {
    const got = Array.isArray(raw) ? 'array' : raw === null ? 'null' : typeof raw;
    return fail('event', `expected an EventBridge event object, received ${got}`);
  }
  if (looksLikeHookInvocation(raw)) {
    const size = detailSize(raw);
    if (size === undefined || size > MAX_DETAIL_CHARACTERS)
      fail(
        'hookDetails',
        `the payload exceeds ${MAX_DETAIL_CHARACTERS} characters`,
        HOOK_INVOCATION,
      );
    return { detailType: HOOK_INVOCATION };
  }
  const detailType = raw['detail-type'];
  if (typeof detailType !== 'string') return fail('detail-type', 'expected a string');
  if (!Object.hasOwn(SCHEMAS, detailType)) {
    // Not echoed: a hand-made event may put anything there.
    const supported = SUPPORTED_DETAIL_TYPES.join(', ');
    return fail('detail-type', `unsupported value (supported: ${supported})`);
  }
  const size = detailSize(raw.detail);
  if (size === undefined) return fail('detail', 'is not JSON', detailType);
  if (size > MAX_DETAIL_CHARACTERS) {
    fail('detail', `exceeds ${MAX_DETAIL_CHARACTERS} characters (${size})`, detailType);
  }
  return { detailType };
};

interface MetaFallbacks {
  arns: readonly string[];
  time?: string | undefined;
  account?: string | undefined;
  region?: string | undefined;
}

// Trimmed captures omit account, region and time; the ARNs in the event still carry the first two.
const deriveMeta = (event: Record<string, unknown>, fallbacks: MetaFallbacks): EventMeta => {
  const arn = fallbacks.arns.map(parseArn).find((parsed) => parsed?.account && parsed.region);
  const account = (event.account as string | undefined) ?? fallbacks.account ?? arn?.account;
  const region = (event.region as string | undefined) ?? fallbacks.region ?? arn?.region;
  const time = (event.time as string | undefined) ?? fallbacks.time;
  const detailType = event['detail-type'] as string;
  if (!account) fail('account', 'missing, and no ARN in the event names the account', detailType);
  if (!region) fail('region', 'missing, and no ARN in the event names the region', detailType);
  return {
    id: event.id as string | undefined,
    detailType,
    source: event.source as string,
    account: account as string,
    region: region as string,
    time: time === undefined ? undefined : new Date(time),
  };
};

const serviceSubject = (resources: string[], clusterArn: string | undefined): ServiceSubject => {
  const serviceArn = resources[0] ?? '';
  const ref = serviceFromArn(serviceArn);
  if (!ref)
    return fail(
      'resources[0]',
      `expected an ECS service ARN, received ${describeInput(serviceArn)}`,
    );
  const cluster = ref.cluster ?? (clusterArn ? clusterName(clusterArn) : undefined);
  if (!cluster)
    return fail('detail.clusterArn', 'needed to name the cluster of an old-format service ARN');
  return { serviceArn, cluster, service: ref.service };
};

/** The service deployment an ARN names; fails naming the field when it is not one. */
const deploymentOf = (value: string, path: string, detailType: string) => {
  const ref = serviceDeploymentFromArn(value);
  if (!ref)
    return fail(
      path,
      `expected a service deployment ARN, received "${value.slice(0, 200)}"`,
      detailType,
    );
  return { ...ref, arn: value };
};

const build = (kind: EventKind, event: Record<string, unknown>): HarbormasterEvent => {
  const resources = (event.resources as string[] | undefined) ?? [];
  switch (kind) {
    case 'task-state-change': {
      const raw = event as TaskStateChangeEvent;
      const d = raw.detail;
      const meta = deriveMeta(event, {
        arns: [...resources, d.clusterArn],
        time: d.updatedAt ?? d.createdAt,
      });
      return { kind, meta, raw, task: taskFacts(d, resources[0]) };
    }
    case 'deployment-state-change': {
      const raw = event as DeploymentStateChangeEvent;
      const meta = deriveMeta(event, { arns: resources, time: raw.detail.updatedAt });
      return { kind, meta, raw, subject: serviceSubject(resources, raw.detail.clusterArn) };
    }
    case 'service-action': {
      const raw = event as ServiceActionEvent;
      const meta = deriveMeta(event, {
        arns: [...resources, raw.detail.clusterArn],
        time: raw.detail.createdAt,
      });
      return { kind, meta, raw, subject: serviceSubject(resources, raw.detail.clusterArn) };
    }
    case 'container-instance-state-change': {
      const raw = event as ContainerInstanceStateChangeEvent;
      const meta = deriveMeta(event, { arns: [raw.detail.clusterArn], time: raw.detail.updatedAt });
      return { kind, meta, raw };
    }
    case 'api-call': {
      const raw = event as ApiCallEvent;
      const meta = deriveMeta(event, {
        arns: resources,
        time: raw.detail.eventTime,
        account: raw.detail.recipientAccountId,
        region: raw.detail.awsRegion,
      });
      return { kind, meta, raw };
    }
    case 'alarm-state-change':
      return {
        kind,
        meta: deriveMeta(event, { arns: resources }),
        raw: event as AlarmStateChangeEvent,
      };
    case 'hook-state-change': {
      const raw = event as HookStateChangeEvent;
      const d = raw.detail;
      const meta = deriveMeta(event, { arns: [d.serviceDeploymentArn], time: d.updatedAt });
      const deployment = deploymentOf(
        d.serviceDeploymentArn,
        'detail.serviceDeploymentArn',
        meta.detailType,
      );
      return { kind, meta, raw, deployment };
    }
    case 'lifecycle-hook': {
      const raw = event as LifecycleHookEvent;
      const arnOf = parseArn(raw.resourceArn);
      const meta: EventMeta = {
        id: raw.executionId,
        detailType: HOOK_INVOCATION,
        source: 'aws.ecs',
        account: arnOf?.account || fail('resourceArn', 'names no account', HOOK_INVOCATION),
        region: arnOf?.region || fail('resourceArn', 'names no region', HOOK_INVOCATION),
        time: raw.time === undefined ? undefined : new Date(raw.time),
      };
      return {
        kind,
        meta,
        raw,
        deployment: deploymentOf(raw.resourceArn, 'resourceArn', HOOK_INVOCATION),
      };
    }
    case 'scheduled': {
      const raw = normaliseScheduled(event as Parameters<typeof normaliseScheduled>[0]);
      return {
        kind,
        meta: deriveMeta(event, { arns: resources }),
        raw,
        scheduleArn: resources[0] ?? '',
      };
    }
  }
};

/**
 * Parses an EventBridge event into a typed, validated HarbormasterEvent. Unknown fields are kept
 * (ECS keeps adding them); the fields Harbormaster uses are checked. Throws InvalidEventError,
 * whose issues name each bad field by path.
 */
const parseEvent = (raw: unknown, kinds?: readonly EventKind[]): HarbormasterEvent => {
  const { detailType } = checkShape(raw);
  const entry = (
    detailType === HOOK_INVOCATION
      ? { kind: 'lifecycle-hook', schema: lifecycleHookSchema }
      : SCHEMAS[detailType]
  ) as { kind: EventKind; schema: () => v.GenericSchema };
  // The kind is known from the detail-type: another kind is refused before its detail is validated.
  if (kinds && !kinds.includes(entry.kind)) {
    fail('detail-type', `"${detailType}" is not handled here (expects ${kinds.join(', ')})`);
  }
  const result = v.safeParse(entry.schema(), raw);
  if (!result.success) throw new InvalidEventError(toFieldIssues(result.issues), detailType);
  return build(entry.kind, result.output as Record<string, unknown>);
};

/** Parses an event and checks it is one of the kinds a handler accepts. */
const parseEventOf = <K extends EventKind>(raw: unknown, kinds: readonly K[]): EventOfKind<K> =>
  parseEvent(raw, kinds) as EventOfKind<K>;

export {
  type EventKind,
  type EventMeta,
  type EventOfKind,
  formatPath,
  type HarbormasterEvent,
  HOOK_INVOCATION,
  MAX_DETAIL_CHARACTERS,
  parseEvent,
  parseEventOf,
  type ServiceSubject,
  SUPPORTED_DETAIL_TYPES,
};
