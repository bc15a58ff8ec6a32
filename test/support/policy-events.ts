import type { ConfigInput } from '#config/schema.ts';
import type { TaskDefinitionDocument } from '#policies/documents.ts';
import { apiCallEvent, type Json, withDetail } from './events.ts';
import { ACCOUNT } from './task-definitions.ts';

const REGION = 'us-east-1';

/** The ARN of a revision in the test account. */
const revisionArn = (family: string, revision: number): string =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;

/** CloudTrail's RegisterTaskDefinition record (the docs' record with its call changed). */
const registerEvent = (
  definition: TaskDefinitionDocument,
  options: { revision?: number; tags?: Record<string, string>; caller?: string } = {},
): Json => {
  const revision = options.revision ?? 7;
  const tags = Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value }));
  const event = apiCallEvent(
    'RegisterTaskDefinition',
    { ...(definition as Json), ...(tags.length > 0 ? { tags } : {}) },
    {
      taskDefinition: {
        ...(definition as Json),
        taskDefinitionArn: revisionArn(String(definition.family), revision),
        revision,
        status: 'ACTIVE',
      },
      tags,
    },
  );
  return options.caller ? withCaller(event, options.caller) : event;
};

/** The event with another principal as the caller. */
const withCaller = (event: Json, arn: string): Json => ({
  ...event,
  detail: {
    ...(event.detail as Json),
    userIdentity: { ...((event.detail as Json).userIdentity as Json), arn },
  },
});

/** The real Fargate task event (2025 docs sample) moved onto a standalone task of `revision`. */
const taskStartEvent = (taskDefinitionArn: string, changes: Json = {}): Json =>
  withDetail('task-running-fargate-docs-2025', {
    taskDefinitionArn,
    group: 'family:job',
    lastStatus: 'PROVISIONING',
    // A task's first event (a Fargate task starts in PROVISIONING).
    version: 1,
    ...changes,
  });

/** A configuration with these policies (and defaults for the rest). */
const withPolicies = (...policies: Json[]): ConfigInput => ({ policies }) as ConfigInput;

export { REGION, registerEvent, revisionArn, taskStartEvent, withCaller, withPolicies };
