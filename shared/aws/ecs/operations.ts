import type { ECSClient } from '@aws-sdk/client-ecs';
import type { EcsPort } from './port.ts';
import type { RunTaskPacer } from './run-task-pacer.ts';

/** What some operations need besides the client (RunTask's pacing). */
interface EcsOperationOptions {
  /** The pacer of RunTask calls, built on first use. */
  pacer?: () => RunTaskPacer;
  /** Builds (on first use) a client that does not retry by itself, so every RunTask attempt is paced. */
  runTaskClient?: () => ECSClient;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A group of EcsPort operations over the ECS API, with the IAM actions they call. A function
 * wires the groups its role allows, so its bundle carries only those SDK commands (each costs
 * cold-start time) and a test checks the groups against the role.
 */
interface EcsOperations<K extends keyof EcsPort = keyof EcsPort> {
  permissions: readonly string[];
  create(client: ECSClient, options: EcsOperationOptions): Pick<EcsPort, K>;
}

/** A group of any operations, as a function's wire step lists them. */
type EcsOperationGroup = {
  permissions: readonly string[];
  create(client: ECSClient, options: EcsOperationOptions): Partial<EcsPort>;
};

/** Marks a port method that no wired group provides. */
const NOT_WIRED = Symbol('not wired');

const notWired = (method: string) =>
  Object.assign(
    () => {
      throw new Error(
        `ECS operation ${method} is not wired for this function: add its group to the function's wire step (and its role)`,
      );
    },
    { [NOT_WIRED]: true },
  );

const METHODS: readonly (keyof EcsPort)[] = [
  'describeService',
  'describeServiceConfiguration',
  'describeTasks',
  'listTasks',
  'stopTask',
  'describeTaskDefinition',
  'tagResource',
  'deregisterTaskDefinition',
  'updateServiceTaskDefinition',
  'runTask',
];

/** An EcsPort of these operation groups; an operation of no group throws when called. */
const ecsPortOf = (
  client: ECSClient,
  groups: readonly EcsOperationGroup[],
  options: EcsOperationOptions = {},
): EcsPort => {
  const wired = Object.assign({}, ...groups.map((group) => group.create(client, options)));
  return Object.fromEntries(
    METHODS.map((method) => [method, wired[method] ?? notWired(method)]),
  ) as unknown as EcsPort;
};

/** Whether a port method is provided by a wired group. */
const isWired = (method: unknown): boolean =>
  typeof method === 'function' && !(NOT_WIRED in method);

export { type EcsOperationGroup, type EcsOperationOptions, type EcsOperations, ecsPortOf, isWired };
