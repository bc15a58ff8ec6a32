import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { TaskDefinitionState } from '#aws/ecs/state.ts';
import type { HarbormasterEvent } from '#kernel/events/parse.ts';
import { isObject, tagRecord } from './documents.ts';

/** `aws ecs describe-task-definition --include TAGS` output, or a bare task definition. */
const revisionOf = (json: unknown): TaskDefinitionState | undefined => {
  if (!isObject(json)) return undefined;
  const definition = isObject(json.taskDefinition) ? json.taskDefinition : json;
  if (typeof definition.taskDefinitionArn !== 'string') return undefined;
  return { definition: definition as TaskDefinition, tags: tagRecord(json.tags) };
};

const familyRevision = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/**
 * Task definition revisions as a recording shows them: from `describe-task-definition` output
 * given as state, and from the RegisterTaskDefinition calls CloudTrail recorded (their response
 * carries the revision). Looked up as ECS does: by ARN, family:revision, or family (the latest).
 */
class RecordedTaskDefinitions {
  readonly #byName = new Map<string, TaskDefinitionState>();

  /** Takes what a state file holds, if it holds task definitions; true if it did. */
  addStateFile(json: unknown): boolean {
    const entries = Array.isArray(json)
      ? json
      : isObject(json) && Array.isArray(json.taskDefinitions)
        ? json.taskDefinitions
        : [json];
    const revisions = entries.map(revisionOf).filter((r) => r !== undefined);
    for (const revision of revisions) this.#add(revision);
    return revisions.length > 0;
  }

  /** Remembers a revision a RegisterTaskDefinition record shows. */
  observe(event: HarbormasterEvent): void {
    if (event.kind !== 'api-call' || event.raw.detail.eventName !== 'RegisterTaskDefinition')
      return;
    const response = event.raw.detail.responseElements;
    const revision = isObject(response) ? revisionOf(response) : undefined;
    if (revision) this.#add(revision);
  }

  #add(revision: TaskDefinitionState): void {
    const arn = revision.definition.taskDefinitionArn as string;
    const name = familyRevision(arn);
    this.#byName.set(arn, revision);
    this.#byName.set(name, revision);
    const family = name.split(':')[0] ?? name;
    const latest = this.#byName.get(family);
    if ((latest?.definition.revision ?? 0) <= (revision.definition.revision ?? 0))
      this.#byName.set(family, revision);
  }

  find(ref: string): TaskDefinitionState | undefined {
    const found = this.#byName.get(ref) ?? this.#byName.get(familyRevision(ref));
    return found && structuredClone(found);
  }
}

export { RecordedTaskDefinitions };
