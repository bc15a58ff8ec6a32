import type { LaunchSpec } from '#aws/ecs/port.ts';
import type { TaskDefinitionState } from '#aws/ecs/state.ts';
import type { JobConfig } from './config.ts';
import type { JobRun, RunStatus, RunTrigger } from './records.ts';
import { startedByFor } from './run-ids.ts';

/** Tags every task of a run carries, so it can be found in the console and by cost reports. */
const runTags = (job: string, runKey: string, config: JobConfig) => [
  { key: 'harbormaster:job', value: job },
  { key: 'harbormaster:run', value: runKey },
  ...Object.entries(config.tags ?? {}).map(([key, value]) => ({ key, value })),
];

/** A job's RunTask parameters, with the task definition revision the run resolved. */
const launchSpecOf = (
  job: string,
  runKey: string,
  config: JobConfig,
  taskDefinitionArn: string,
): LaunchSpec => ({
  cluster: config.cluster,
  taskDefinition: taskDefinitionArn,
  ...(config.launchType ? { launchType: config.launchType } : {}),
  ...(config.capacityProviderStrategy
    ? { capacityProviderStrategy: config.capacityProviderStrategy.map((s) => ({ ...s })) }
    : {}),
  ...(config.platformVersion ? { platformVersion: config.platformVersion } : {}),
  ...(config.network ? { network: { ...config.network } } : {}),
  ...(config.containerOverrides
    ? {
        containerOverrides: config.containerOverrides.map((o) => ({
          name: o.name,
          ...(o.command ? { command: [...o.command] } : {}),
          ...(o.environment
            ? {
                environment: Object.entries(o.environment).map(([name, value]) => ({
                  name,
                  value,
                })),
              }
            : {}),
        })),
      }
    : {}),
  tags: runTags(job, runKey, config),
  ...(config.propagateTags ? { propagateTags: config.propagateTags } : {}),
});

/** The containers whose exit decides a task's fate (ECS's default for `essential` is true). */
const essentialContainersOf = (definition: TaskDefinitionState | undefined): string[] =>
  (definition?.definition.containerDefinitions ?? [])
    .filter((c) => c.essential !== false && c.name)
    .map((c) => c.name as string);

/** A new run record for a job, in the given status (running, or final when it cannot run). */
const newRun = (input: {
  namespace: string;
  job: string;
  config: JobConfig;
  trigger: RunTrigger;
  runKey: string;
  scheduledAt: Date;
  now: Date;
  status: RunStatus;
  definition?: TaskDefinitionState | undefined;
  reason?: string | undefined;
}): JobRun => {
  const { config, now } = input;
  const windowStart = input.trigger === 'schedule' ? input.scheduledAt : now;
  const taskDefinition = input.definition?.definition.taskDefinitionArn ?? config.taskDefinition;
  return {
    job: input.job,
    runKey: input.runKey,
    trigger: input.trigger,
    scheduledAt: input.scheduledAt.toISOString(),
    startedAt: now.toISOString(),
    status: input.status,
    startedBy: startedByFor(input.namespace, input.job, input.runKey),
    count: config.count,
    spec: launchSpecOf(input.job, input.runKey, config, taskDefinition),
    essentialContainers: essentialContainersOf(input.definition),
    retries: { ...config.retries },
    startWindowEndsAt: new Date(
      windowStart.getTime() + config.startWindowMinutes * 60_000,
    ).toISOString(),
    deadlineAt: new Date(now.getTime() + config.deadlineMinutes * 60_000).toISOString(),
    ...(input.status === 'running' ? {} : { finishedAt: now.toISOString() }),
    ...(input.reason ? { reason: input.reason } : {}),
  };
};

export { essentialContainersOf, launchSpecOf, newRun };
