import { parseConfig } from '#config/parse.ts';
import type { ConfigInput } from '#config/schema.ts';
import { parseEventOf } from '#kernel/events/parse.ts';
import type { PolicyAction } from '#policies/actions/index.ts';
import type { TaskDefinitionDocument } from '#policies/documents.ts';
import { checkpointOf, type PolicyEvent } from '#policies/enforcer/checkpoint.ts';
import { decidePolicies } from '#policies/enforcer/decide.ts';
import type { LoadedRevision, PolicyState } from '#policies/enforcer/load.ts';
import type { Json } from './events.ts';

const NOW = new Date('2026-11-21T12:00:00Z');

/** A loaded, active revision. */
const revision = (
  arn: string,
  definition: TaskDefinitionDocument,
  tags: Record<string, string> = {},
): LoadedRevision => ({ arn, definition, tags, status: 'ACTIVE' });

/** Decides as the policy enforcer would, with the state its load step would have read. */
const decide = (raw: Json, input: ConfigInput, state: Partial<PolicyState> = {}) => {
  const config = parseConfig(input, 'test');
  const event = parseEventOf(raw, ['api-call', 'task-state-change']) as PolicyEvent;
  const checkpoint = checkpointOf(event, config);
  const fromRecord =
    checkpoint.kind === 'register' && checkpoint.definition
      ? revision(checkpoint.taskDefinitionArn, checkpoint.definition, checkpoint.tags)
      : undefined;
  return decidePolicies(
    event,
    {
      checkpoint,
      revision: fromRecord,
      service: undefined,
      serviceTags: {},
      runningTaskDefinition: undefined,
      rollbackCandidates: [],
      ...state,
    },
    config,
    NOW,
  );
};

/** The types of a decision's actions, in order. */
const types = (actions: readonly PolicyAction[]) => actions.map((a) => a.type);

/** The first policy-violation alert among the actions. */
const alertOf = (actions: readonly PolicyAction[]) => {
  const notify = actions.find((a) => a.type === 'notify');
  if (notify?.type !== 'notify' || notify.alert.kind !== 'policy-violation') return undefined;
  return notify.alert;
};

export { alertOf, decide, NOW, revision, types };
