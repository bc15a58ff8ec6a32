import type { EcsPort } from '#aws/ecs/port.ts';
import type { ServiceDocument } from '#aws/ecs/service-document.ts';
import type { PoliciesConfig } from '../config.ts';
import { type TaskDefinitionDocument, tagRecord } from '../documents.ts';
import type { Checkpoint, PolicyEvent } from './checkpoint.ts';
import { checkpointOf } from './checkpoint.ts';

/** A revision as the enforcer evaluates it. */
interface LoadedRevision {
  arn: string;
  definition: TaskDefinitionDocument;
  tags: Record<string, string>;
  status: string | undefined;
}

/** What the decision needs beyond the event. */
interface PolicyState {
  checkpoint: Checkpoint;
  revision: LoadedRevision | undefined;
  service: ServiceDocument | undefined;
  serviceTags: Record<string, string>;
  /** The revision the service runs now (DescribeServices), which a late event may find changed. */
  runningTaskDefinition: string | undefined;
  /** Revisions the service ran before, newest first: where a rollback may go. */
  rollbackCandidates: LoadedRevision[];
}

// Enough history to find a compliant revision; each costs at most one (cached) describe.
const MAX_ROLLBACK_CANDIDATES = 5;

const describeRevision = async (
  ecs: EcsPort,
  ref: string | undefined,
): Promise<LoadedRevision | undefined> => {
  if (!ref) return undefined;
  const state = await ecs.describeTaskDefinition(ref);
  if (!state) return undefined;
  return {
    arn: state.definition.taskDefinitionArn ?? ref,
    definition: state.definition,
    tags: state.tags,
    status: state.definition.status,
  };
};

const created = (value: unknown): number => {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value * 1000;
  const parsed = Date.parse(String(value ?? ''));
  return Number.isNaN(parsed) ? 0 : parsed;
};

/** The other revisions a service's deployments ran, newest deployment first. */
const previousRevisions = (
  current: string | undefined,
  ...services: (ServiceDocument | undefined)[]
) => {
  const deployments = services.flatMap((s) => (Array.isArray(s?.deployments) ? s.deployments : []));
  const sorted = [...deployments].sort((a, b) => created(b.createdAt) - created(a.createdAt));
  const arns = sorted.map((d) => d.taskDefinition).filter((arn): arn is string => !!arn);
  return [...new Set(arns)].filter((arn) => arn !== current).slice(0, MAX_ROLLBACK_CANDIDATES);
};

const wantsRollback = (config: PoliciesConfig): boolean =>
  config.policies.some(
    (p) =>
      p.resource === 'ecs-service' &&
      p.mode === 'enforce' &&
      p.actions.some((a) => a.type === 'rollback'),
  );

/**
 * Loads what the checkpoint needs through the ECS port: the revision (DescribeTaskDefinition,
 * cached by ARN, so a definition already seen costs no call), and for deployments the service's
 * tags and, when a policy may roll back, the revisions its earlier deployments ran.
 */
const loadPolicyState = async (
  event: PolicyEvent,
  ecs: EcsPort,
  config: PoliciesConfig,
): Promise<PolicyState> => {
  const checkpoint = checkpointOf(event, config);
  const state: PolicyState = {
    checkpoint,
    revision: undefined,
    service: undefined,
    serviceTags: {},
    runningTaskDefinition: undefined,
    rollbackCandidates: [],
  };
  switch (checkpoint.kind) {
    case 'skip':
      return state;
    case 'register':
      // The record carries the definition; only a truncated record costs a describe.
      state.revision = checkpoint.definition
        ? {
            arn: checkpoint.taskDefinitionArn,
            definition: checkpoint.definition,
            tags: checkpoint.tags,
            status: 'ACTIVE',
          }
        : await describeRevision(ecs, checkpoint.taskDefinitionArn);
      return state;
    case 'deploy': {
      const current = await ecs.describeServiceConfiguration(
        checkpoint.cluster,
        checkpoint.service,
      );
      const service = checkpoint.described ?? current;
      state.service = service;
      state.runningTaskDefinition = current?.taskDefinition;
      state.serviceTags = { ...tagRecord(current?.tags), ...checkpoint.tags };
      state.revision = await describeRevision(ecs, service?.taskDefinition);
      if (checkpoint.changesTaskDefinition && wantsRollback(config)) {
        for (const arn of previousRevisions(state.revision?.arn, checkpoint.described, current)) {
          const candidate = await describeRevision(ecs, arn);
          if (candidate) state.rollbackCandidates.push(candidate);
        }
      }
      return state;
    }
    case 'run-task':
      state.revision = await describeRevision(ecs, checkpoint.taskDefinition);
      return state;
    case 'task-start':
      state.revision = await describeRevision(ecs, checkpoint.taskDefinitionArn);
      return state;
  }
};

export { type LoadedRevision, loadPolicyState, type PolicyState };
