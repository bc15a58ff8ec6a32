import type {
  CapacityProviderStrategyItem,
  ContainerDefinition,
  KeyValuePair,
  NetworkConfiguration,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { DeploymentDocument, ServiceDocument } from '#aws/ecs/service-document.ts';
import type { GuardMode } from '#guard/config.ts';

/**
 * The documents a policy reads. They arrive as JSON from several places (CloudTrail's copy of a
 * request or response, DescribeTaskDefinition, a file in a CI pipeline), so every field is optional
 * and rules read them defensively; the SDK's types name the fields ECS documents.
 */

/** A task definition: DescribeTaskDefinition's `taskDefinition` or RegisterTaskDefinition's input. */
type TaskDefinitionDocument = Omit<TaskDefinition, 'registeredAt' | 'deregisteredAt'> & {
  tags?: { key?: string; value?: string }[] | undefined;
};

/** How a standalone task is launched: RunTask's input, or what a task state change tells. */
interface RunDocument {
  launchType?: string | undefined;
  capacityProviderStrategy?: CapacityProviderStrategyItem[] | undefined;
  platformVersion?: string | undefined;
  networkConfiguration?: NetworkConfiguration | undefined;
  group?: string | undefined;
  startedBy?: string | undefined;
  overrides?:
    | { containerOverrides?: { name?: string; environment?: KeyValuePair[] }[] | undefined }
    | undefined;
}

/** What one policy evaluation reads: the task definition, and the service or the launch if any. */
interface PolicySubject {
  taskDefinition?: TaskDefinitionDocument | undefined;
  service?: ServiceDocument | undefined;
  run?: RunDocument | undefined;
  /**
   * What Harbormaster's deployment guard does when the service's deployment fails (its
   * failed-tasks trigger, after configuration and tags). Known where the stack runs, not in CI.
   */
  harbormasterGuard?: GuardMode | undefined;
  /**
   * How the task definition is run, when known: by a service (a service resource, or a template
   * that deploys it as one), as a batch job (named in the batch jobs configuration, or tagged), or
   * as a standalone task. Rules about long-running services apply only to services.
   */
  deployedAs?: 'service' | 'batch-job' | 'task' | undefined;
}

/** Which document of a subject a finding points into. */
type Target = 'taskDefinition' | 'service' | 'run';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value for a message: itself when it is text or a number, its kind otherwise (never throws). */
const show = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value)
    ? 'a list'
    : `a${typeof value === 'object' ? 'n object' : ` ${typeof value}`}`;
};

/** The container definitions that are objects, with their index (for field paths). */
const containersOf = (
  td: TaskDefinitionDocument,
): { container: ContainerDefinition; index: number }[] =>
  (Array.isArray(td.containerDefinitions) ? td.containerDefinitions : []).flatMap(
    (container, index) => (isObject(container) ? [{ container, index }] : []),
  );

/** A container's name for messages (its index when it has none). */
const containerLabel = (container: ContainerDefinition, index: number): string =>
  typeof container.name === 'string' && container.name !== '' ? container.name : `#${index}`;

// Windows paths (C:\data, C:/data), named pipes (\\.\pipe\docker_engine) and Windows images.
const WINDOWS_PATH = /^(?:[A-Za-z]:[\\/]|\\\\[.?]\\)/;
const WINDOWS_IMAGE =
  /(?:^|[/:_.-])(?:windows|servercore|nanoserver|windowsservercore)(?:$|[/:_.-])/i;
const WINDOWS_SHELL = /^(?:powershell|pwsh|cmd)(?:\.exe)?$/i;

/**
 * Why a task definition runs Windows containers, if it does: runtimePlatform says so, or (in the
 * many task definitions without one) a named pipe or Windows path is mounted, an image is a
 * Windows image, or a container starts PowerShell or cmd. Undefined for Linux.
 */
const windowsSignal = (td: TaskDefinitionDocument): string | undefined => {
  // Several rules ask of the same document in one evaluation: answer once per document.
  if (!isObject(td)) return undefined;
  if (windowsSignals.has(td)) return windowsSignals.get(td);
  const signal = findWindowsSignal(td);
  windowsSignals.set(td, signal);
  return signal;
};

const windowsSignals = new WeakMap<object, string | undefined>();

const findWindowsSignal = (td: TaskDefinitionDocument): string | undefined => {
  const family = show(td.runtimePlatform?.operatingSystemFamily ?? '');
  if (family.startsWith('WINDOWS')) return `runtimePlatform is ${family}`;
  if (family === 'LINUX') return undefined;
  for (const volume of Array.isArray(td.volumes) ? td.volumes : []) {
    const source = isObject(volume) && isObject(volume.host) ? volume.host.sourcePath : undefined;
    if (typeof source === 'string' && WINDOWS_PATH.test(source)) {
      return `volume ${show(volume.name)} mounts the Windows path or named pipe ${source}`;
    }
  }
  for (const { container, index } of containersOf(td)) {
    const name = containerLabel(container, index);
    const mounts = Array.isArray(container.mountPoints) ? container.mountPoints : [];
    if (mounts.some((m) => isObject(m) && WINDOWS_PATH.test(show(m.containerPath ?? '')))) {
      return `container ${name} mounts a volume at a Windows path`;
    }
    if (typeof container.image === 'string' && WINDOWS_IMAGE.test(container.image)) {
      return `container ${name} runs the Windows image ${container.image}`;
    }
    if (
      typeof container.workingDirectory === 'string' &&
      WINDOWS_PATH.test(container.workingDirectory)
    ) {
      return `container ${name} works in a Windows path`;
    }
    const start = [container.entryPoint, container.command].find(
      (v) => Array.isArray(v) && v.length > 0,
    );
    const first = Array.isArray(start) ? start[0] : undefined;
    if (typeof first === 'string' && WINDOWS_SHELL.test(first.trim())) {
      return `container ${name} starts ${first.trim()}`;
    }
  }
  return undefined;
};

/** True for task definitions that run Windows containers (some Linux-only settings do not apply). */
const isWindows = (td: TaskDefinitionDocument): boolean => windowsSignal(td) !== undefined;

/** True when a launch (service or RunTask) runs on Fargate, by launch type or capacity provider. */
const runsOnFargate = (launch: {
  launchType?: string | undefined;
  capacityProviderStrategy?: CapacityProviderStrategyItem[] | undefined;
}): boolean =>
  launch.launchType === 'FARGATE' ||
  (Array.isArray(launch.capacityProviderStrategy) &&
    launch.capacityProviderStrategy.some((item) =>
      /^FARGATE(_SPOT)?$/.test(show(item?.capacityProvider ?? '')),
    ));

/** Tags as a record, from ECS's `[{key, value}]` list (malformed entries are skipped). */
const tagRecord = (tags: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (!Array.isArray(tags)) return out;
  for (const tag of tags) {
    if (isObject(tag) && typeof tag.key === 'string') out[tag.key] = show(tag.value ?? '');
  }
  return out;
};

export {
  containerLabel,
  containersOf,
  type DeploymentDocument,
  isObject,
  isWindows,
  type PolicySubject,
  type RunDocument,
  runsOnFargate,
  type ServiceDocument,
  show,
  type Target,
  type TaskDefinitionDocument,
  tagRecord,
  windowsSignal,
};
