import type { ServiceState } from '#aws/ecs/state.ts';
import type { DeploymentGuardConfig, GuardMode, ServiceGuardLayer } from './config.ts';
import { readGuardTags } from './tags.ts';

/** The guard's settings for one service, after configuration and tags are applied. */
interface GuardSettings {
  failedTasks: { mode: GuardMode; count: number };
  deadline: { mode: GuardMode; minutes: number };
  alarms: { mode: GuardMode; names: string[]; alreadyInAlarm: 'report' | 'act' };
  ecsFailure: { mode: GuardMode };
  bakeMinutes: number;
  /** Blue/green, linear, canary: what a trigger does once CLEAN_UP removed blue. */
  afterCleanUp: 'redeploy' | 'alert';
  /** Tags that could not be read (reported in alerts, never fatal). */
  problems: string[];
}

type Layer = Omit<ServiceGuardLayer, 'cluster' | 'service'>;

const matches = (layer: ServiceGuardLayer, cluster: string, service: string): boolean =>
  (layer.cluster === '*' || layer.cluster === cluster) &&
  (layer.service === '*' || layer.service === service);

/**
 * Resolves the settings of a service. Layers apply in order: the global configuration, each
 * matching `services` entry, then the service's tags. A layer's `mode` sets every trigger's mode;
 * a trigger's own `mode` in the same layer wins over it. Alarm names add up across layers, and the
 * alarms the service itself names (deploymentConfiguration.alarms) join them unless turned off.
 */
const resolveGuardSettings = (
  config: DeploymentGuardConfig,
  cluster: string,
  service: string,
  ecs: Pick<ServiceState, 'tags' | 'alarms'> | undefined,
): GuardSettings => {
  const tags = readGuardTags(ecs?.tags ?? {});
  const layers: Layer[] = [
    config,
    ...config.services.filter((layer) => matches(layer, cluster, service)),
    tags.layer,
  ];
  const settings: GuardSettings = {
    failedTasks: { mode: config.mode, count: config.failedTasks.count },
    deadline: { mode: config.mode, minutes: config.deadline.minutes },
    alarms: { mode: config.mode, names: [], alreadyInAlarm: config.alarms.alreadyInAlarm },
    ecsFailure: { mode: config.mode },
    bakeMinutes: config.bakeMinutes,
    afterCleanUp: config.afterCleanUp,
    problems: tags.problems,
  };
  let useServiceAlarms = config.alarms.useServiceAlarms;
  for (const layer of layers) {
    if (layer.mode) {
      for (const trigger of [
        settings.failedTasks,
        settings.deadline,
        settings.alarms,
        settings.ecsFailure,
      ]) {
        trigger.mode = layer.mode;
      }
    }
    if (layer.failedTasks?.mode) settings.failedTasks.mode = layer.failedTasks.mode;
    if (layer.failedTasks?.count) settings.failedTasks.count = layer.failedTasks.count;
    if (layer.deadline?.mode) settings.deadline.mode = layer.deadline.mode;
    if (layer.deadline?.minutes) settings.deadline.minutes = layer.deadline.minutes;
    if (layer.alarms?.mode) settings.alarms.mode = layer.alarms.mode;
    if (layer.alarms?.names) settings.alarms.names.push(...layer.alarms.names);
    if (layer.alarms?.alreadyInAlarm) settings.alarms.alreadyInAlarm = layer.alarms.alreadyInAlarm;
    if (layer.alarms?.useServiceAlarms !== undefined)
      useServiceAlarms = layer.alarms.useServiceAlarms;
    if (layer.ecsFailure?.mode) settings.ecsFailure.mode = layer.ecsFailure.mode;
    if (layer.bakeMinutes !== undefined) settings.bakeMinutes = layer.bakeMinutes;
    if (layer.afterCleanUp) settings.afterCleanUp = layer.afterCleanUp;
  }
  if (useServiceAlarms) settings.alarms.names.push(...(ecs?.alarms?.alarmNames ?? []));
  settings.alarms.names = [...new Set(settings.alarms.names)];
  return settings;
};

export { type GuardSettings, resolveGuardSettings };
