import type { ServiceState } from '#aws/ecs/state.ts';
import type { DeploymentGuardConfig, GuardMode, ServiceGuardLayer } from './config.ts';
import { readGuardTags } from './tags.ts';

/**
 * Where a watched alarm was named: harbormaster.yml (`deploymentGuard.alarms.names` or a
 * `services` entry), the service's `harbormaster:guard:alarms` tag, or the service's own
 * `deploymentConfiguration.alarms` (only while its `enable` is true).
 */
type AlarmSource = 'configuration' | 'tag' | 'service';

/** The guard's settings for one service, after configuration and tags are applied. */
interface GuardSettings {
  failedTasks: { mode: GuardMode; count: number };
  deadline: { mode: GuardMode; minutes: number };
  alarms: {
    mode: GuardMode;
    names: string[];
    alreadyInAlarm: 'report' | 'act';
    /** Where each watched alarm was named, in the order the layers apply. */
    sources: Partial<Record<string, AlarmSource[]>>;
    /**
     * Alarms the service names with `deploymentConfiguration.alarms.enable` false (and that neither
     * the configuration nor a tag names): ECS's alarm rollback is switched off, so the guard does
     * not watch them either.
     */
    ignored: string[];
  };
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

const addAlarms = (
  alarms: GuardSettings['alarms'],
  names: readonly string[],
  source: AlarmSource,
): void => {
  for (const name of names) {
    if (!alarms.names.includes(name)) alarms.names.push(name);
    const sources = alarms.sources[name] ?? [];
    if (!sources.includes(source)) sources.push(source);
    alarms.sources[name] = sources;
  }
};

/**
 * Resolves the settings of a service. Layers apply in order: the global configuration, each
 * matching `services` entry, then the service's tags. A layer's `mode` sets every trigger's mode;
 * a trigger's own `mode` in the same layer wins over it. Alarm names add up across layers, and the
 * alarms the service itself names (deploymentConfiguration.alarms) join them when the service has
 * them enabled, unless `useServiceAlarms` turns them off.
 */
const resolveGuardSettings = (
  config: DeploymentGuardConfig,
  cluster: string,
  service: string,
  ecs: Pick<ServiceState, 'tags' | 'alarms'> | undefined,
): GuardSettings => {
  const tags = readGuardTags(ecs?.tags ?? {});
  const layers: [Layer, AlarmSource][] = [
    [config, 'configuration'],
    ...config.services
      .filter((layer) => matches(layer, cluster, service))
      .map((layer): [Layer, AlarmSource] => [layer, 'configuration']),
    [tags.layer, 'tag'],
  ];
  const settings: GuardSettings = {
    failedTasks: { mode: config.mode, count: config.failedTasks.count },
    deadline: { mode: config.mode, minutes: config.deadline.minutes },
    alarms: {
      mode: config.mode,
      names: [],
      alreadyInAlarm: config.alarms.alreadyInAlarm,
      sources: {},
      ignored: [],
    },
    ecsFailure: { mode: config.mode },
    bakeMinutes: config.bakeMinutes,
    afterCleanUp: config.afterCleanUp,
    problems: tags.problems,
  };
  let useServiceAlarms = config.alarms.useServiceAlarms;
  for (const [layer, source] of layers) {
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
    if (layer.alarms?.names) addAlarms(settings.alarms, layer.alarms.names, source);
    if (layer.alarms?.alreadyInAlarm) settings.alarms.alreadyInAlarm = layer.alarms.alreadyInAlarm;
    if (layer.alarms?.useServiceAlarms !== undefined)
      useServiceAlarms = layer.alarms.useServiceAlarms;
    if (layer.ecsFailure?.mode) settings.ecsFailure.mode = layer.ecsFailure.mode;
    if (layer.bakeMinutes !== undefined) settings.bakeMinutes = layer.bakeMinutes;
    if (layer.afterCleanUp) settings.afterCleanUp = layer.afterCleanUp;
  }
  const serviceAlarms = ecs?.alarms?.alarmNames ?? [];
  // ECS keeps the alarm names when its alarm rollback is switched off: `enable` says whether they count.
  if (useServiceAlarms && ecs?.alarms?.enable) addAlarms(settings.alarms, serviceAlarms, 'service');
  else if (useServiceAlarms)
    settings.alarms.ignored = serviceAlarms.filter((name) => !settings.alarms.names.includes(name));
  return settings;
};

const SOURCE_TEXT: Record<AlarmSource, string> = {
  configuration: 'harbormaster.yml',
  tag: 'the harbormaster:guard:alarms tag',
  service: "the service's deploymentConfiguration.alarms",
};

/**
 * Where an alarm the guard watches came from, in words: "from harbormaster.yml", "from the
 * service's deploymentConfiguration.alarms"; an alarm only the deployment's watch remembers was
 * watched when the deployment started and is no longer named.
 */
const alarmOrigin = (settings: GuardSettings, name: string): string => {
  const sources = settings.alarms.sources[name];
  if (!sources || sources.length === 0)
    return 'watched since the deployment started; no longer named in the settings';
  return `from ${sources.map((s) => SOURCE_TEXT[s]).join(' and ')}`;
};

/** Alarm names with where each came from: "web-5xx (from harbormaster.yml)". */
const describeAlarms = (settings: GuardSettings, names: readonly string[]): string =>
  names.map((name) => `${name} (${alarmOrigin(settings, name)})`).join(', ');

export { type AlarmSource, alarmOrigin, describeAlarms, type GuardSettings, resolveGuardSettings };
