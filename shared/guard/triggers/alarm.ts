import type { CountedFailure } from '../failures.ts';
import type { DeploymentWatch } from '../records.ts';
import type { GuardSettings } from '../settings.ts';
import type { DeploymentFacts } from '../state.ts';
import type { Firing } from './firing.ts';

/** The alarms watched for the deployment: from its settings now and from when it started. */
const watchedAlarms = (settings: GuardSettings, watch: DeploymentWatch | undefined): string[] => [
  ...new Set([...settings.alarms.names, ...(watch?.alarms ?? [])]),
];

/** Fires when a watched alarm is in ALARM during the deployment or its bake time. */
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
    reason: `${firing.join(', ')} ${why}`,
    failures: [...failures],
    threshold: undefined,
    alarms: firing,
  };
};

export { alarmTrigger, watchedAlarms };
