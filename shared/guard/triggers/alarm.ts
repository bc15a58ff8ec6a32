import type { CountedFailure } from '../failures.ts';
import type { DeploymentWatch } from '../records.ts';
import { describeAlarms, type GuardSettings } from '../settings.ts';
import type { DeploymentFacts } from '../state.ts';
import type { Firing } from './firing.ts';

/**
 * The alarms watched for the deployment: from its settings now and from when it started, less the
 * service's alarms whose ECS alarm rollback is now switched off (`enable: false`).
 */
const watchedAlarms = (settings: GuardSettings, watch: DeploymentWatch | undefined): string[] => [
  ...new Set([
    ...settings.alarms.names,
    ...(watch?.alarms ?? []).filter((name) => !settings.alarms.ignored.includes(name)),
  ]),
];

/**
 * Fires when a watched alarm is in ALARM during the deployment or its bake time. The reason names
 * each alarm and where it came from (configuration, tag or the service's own alarms).
 */
const alarmTrigger = (
  j: DeploymentFacts,
  alarms: readonly string[],
  why: string,
  failures: readonly CountedFailure[],
): Firing | undefined => {
  const { mode } = j.settings.alarms;
  const watched = watchedAlarms(j.settings, j.watch);
  const firing = alarms.filter((name) => watched.includes(name));
  if (mode === 'off' || firing.length === 0) return undefined;
  return {
    trigger: 'alarm',
    mode,
    reason: `${describeAlarms(j.settings, firing)} ${why}`,
    failures: [...failures],
    threshold: undefined,
    alarms: firing,
  };
};

export { alarmTrigger, watchedAlarms };
