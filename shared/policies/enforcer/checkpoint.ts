import type { ServiceDocument } from '#aws/ecs/service-document.ts';
import { clusterName, serviceFromArn, taskDefinitionRef } from '#kernel/events/arn.ts';
import type { EventOfKind } from '#kernel/events/parse.ts';
import type { PoliciesConfig } from '../config.ts';
import {
  isObject,
  type RunDocument,
  type TaskDefinitionDocument,
  tagRecord,
} from '../documents.ts';
import { matchesAnyGlob } from '../glob.ts';

/** The events the policy enforcer handles. */
type PolicyEvent = EventOfKind<'api-call' | 'task-state-change'>;

/** A task definition revision registered (CloudTrail RegisterTaskDefinition). */
interface RegisterCheckpoint {
  kind: 'register';
  taskDefinitionArn: string;
  /** The definition as the record carries it (the response, else the request), if complete. */
  definition: TaskDefinitionDocument | undefined;
  tags: Record<string, string>;
}

/** A service created or updated (CloudTrail CreateService or UpdateService). */
interface DeployCheckpoint {
  kind: 'deploy';
  call: 'CreateService' | 'UpdateService';
  cluster: string;
  service: string;
  /** The service as ECS returned it in the call's response, if the record carries it. */
  described: ServiceDocument | undefined;
  /** True when the call named a task definition: a rollback can undo it. */
  changesTaskDefinition: boolean;
  tags: Record<string, string>;
}

/** Standalone tasks launched with RunTask (CloudTrail). */
interface RunTaskCheckpoint {
  kind: 'run-task';
  cluster: string;
  taskDefinition: string;
  run: RunDocument;
  taskArns: string[];
  tags: Record<string, string>;
}

/** A standalone task starting (ECS Task State Change). */
interface TaskStartCheckpoint {
  kind: 'task-start';
  cluster: string;
  taskArn: string;
  taskDefinitionArn: string;
  run: RunDocument;
}

/** What an event asks the enforcer to check, or why there is nothing to check. */
type Checkpoint =
  | RegisterCheckpoint
  | DeployCheckpoint
  | RunTaskCheckpoint
  | TaskStartCheckpoint
  | { kind: 'skip'; reason: string };

/** The policy resource each checkpoint evaluates. */
const RESOURCE_OF = {
  register: 'ecs-task-definition',
  deploy: 'ecs-service',
  'run-task': 'ecs-task',
  'task-start': 'ecs-task',
} as const;

const skip = (reason: string): Checkpoint => ({ kind: 'skip', reason });

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

// CloudTrail marks a field it truncated with `omitted: true`; such a copy cannot be checked.
const complete = (value: unknown): value is Record<string, unknown> =>
  isObject(value) && value.omitted !== true && Array.isArray(value.containerDefinitions);

const apiCheckpoint = (event: EventOfKind<'api-call'>, config: PoliciesConfig): Checkpoint => {
  const d = event.raw.detail;
  if (d.errorCode) return skip(`${d.eventName} failed (${d.errorCode}): nothing to check`);
  const caller = text((d.userIdentity as Record<string, unknown> | undefined)?.arn);
  if (caller && matchesAnyGlob(caller, config.enforcement.ownPrincipals)) {
    return skip(`${d.eventName} was Harbormaster's own call (${caller})`);
  }
  const request = (d.requestParameters ?? {}) as Record<string, unknown>;
  const response = (d.responseElements ?? {}) as Record<string, unknown>;
  switch (d.eventName) {
    case 'RegisterTaskDefinition': {
      const registered = isObject(response.taskDefinition) ? response.taskDefinition : undefined;
      const arn = text(registered?.taskDefinitionArn);
      if (!arn) return skip('the record names no registered revision');
      const definition = complete(registered)
        ? registered
        : complete(request)
          ? request
          : undefined;
      return {
        kind: 'register',
        taskDefinitionArn: arn,
        definition: definition as TaskDefinitionDocument | undefined,
        tags: tagRecord(response.tags ?? request.tags),
      };
    }
    case 'CreateService':
    case 'UpdateService': {
      const described = isObject(response.service)
        ? (response.service as ServiceDocument)
        : undefined;
      const ref = text(request.serviceName) ?? text(request.service) ?? '';
      const fromArn = ref.startsWith('arn:') ? serviceFromArn(ref) : undefined;
      const cluster = clusterName(
        text(request.cluster) ?? fromArn?.cluster ?? text(described?.clusterArn) ?? 'default',
      );
      return {
        kind: 'deploy',
        call: d.eventName,
        cluster,
        service: fromArn?.service ?? ref,
        described,
        changesTaskDefinition: d.eventName === 'UpdateService' && !!text(request.taskDefinition),
        tags: tagRecord(request.tags),
      };
    }
    case 'RunTask': {
      const tasks = Array.isArray(response.tasks) ? response.tasks.filter(isObject) : [];
      if (tasks.length === 0) return skip('RunTask started no task');
      return {
        kind: 'run-task',
        cluster: clusterName(text(request.cluster) ?? 'default'),
        taskDefinition: text(tasks[0]?.taskDefinitionArn) ?? text(request.taskDefinition) ?? '',
        run: request as RunDocument,
        taskArns: tasks.map((t) => text(t.taskArn)).filter((arn): arn is string => !!arn),
        tags: tagRecord(request.tags),
      };
    }
  }
};

const STARTING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING']);

/**
 * A task is checked once, at its first event: version 1, whatever state it starts in (PROVISIONING
 * when ECS has steps first, such as an awsvpc task's interface; else PENDING), so a task that skips
 * a state is not lost and one that passes four is not checked four times. API reference,
 * Task.version: "Every time a task experiences a change that starts a CloudWatch event, the version
 * counter is incremented"; duplicates of an event carry the same version (Amazon ECS events). The
 * rule in serverless.yml routes only version 1; events without a version are checked while starting.
 */
const FIRST_VERSION = 1;

const taskCheckpoint = (event: EventOfKind<'task-state-change'>): Checkpoint => {
  const { task } = event;
  const d = event.raw.detail;
  if (task.service || task.deploymentId) {
    const owner = task.service ? `service ${task.service}` : `deployment ${task.deploymentId}`;
    return skip(`a task of ${owner}: services are checked when deployed`);
  }
  if (d.desiredStatus === 'STOPPED' || !STARTING.has(d.lastStatus)) {
    return skip(`the task is ${d.lastStatus}, not starting`);
  }
  if (d.version !== undefined && d.version !== FIRST_VERSION) {
    return skip(`not the task's first event (version ${d.version}): its start is checked once`);
  }
  if (!task.taskDefinitionArn) return skip('the event names no task definition');
  return {
    kind: 'task-start',
    cluster: task.cluster,
    taskArn: task.taskArn,
    taskDefinitionArn: task.taskDefinitionArn,
    // The event reports the resolved platform version (1.4.0), not the requested one: left out.
    run: {
      launchType: d.launchType,
      group: d.group,
      startedBy: d.startedBy,
      overrides: d.overrides as RunDocument['overrides'],
    },
  };
};

/**
 * What an event asks the enforcer to check. Pure; shared by load and decide. Failed calls,
 * Harbormaster's own calls (no loops) and service tasks (checked at deployment) are skipped, as
 * are checkpoints no configured policy covers.
 */
const checkpointOf = (event: PolicyEvent, config: PoliciesConfig): Checkpoint => {
  const checkpoint =
    event.kind === 'api-call' ? apiCheckpoint(event, config) : taskCheckpoint(event);
  if (checkpoint.kind === 'skip') return checkpoint;
  const resource = RESOURCE_OF[checkpoint.kind];
  if (!config.policies.some((p) => p.resource === resource)) {
    return skip(`no ${resource} policy is configured`);
  }
  return checkpoint;
};

/** "web:7" for a revision ARN. */
const revisionName = (arn: string): string => {
  const { family, revision } = taskDefinitionRef(arn);
  return revision === undefined ? family : `${family}:${revision}`;
};

export {
  type Checkpoint,
  checkpointOf,
  type DeployCheckpoint,
  type PolicyEvent,
  RESOURCE_OF,
  type RegisterCheckpoint,
  type RunTaskCheckpoint,
  revisionName,
  type TaskStartCheckpoint,
};
