import { ALREADY_IN_ALARM, GUARD_MODES, type GuardMode, type ServiceGuardLayer } from './config.ts';

/** The service tags the guard reads, and what each one sets. */
const GUARD_TAGS = {
  /** off | notify | rollback: the mode of every trigger. */
  mode: 'harbormaster:guard',
  /** A mode and/or a count, e.g. "5" or "notify 5". */
  failedTasks: 'harbormaster:guard:failed-tasks',
  /** A mode and/or minutes, e.g. "45" or "notify 45". */
  deadline: 'harbormaster:guard:deadline',
  /** A mode and/or alarm names separated by spaces, e.g. "web-5xx web-latency". */
  alarms: 'harbormaster:guard:alarms',
  /** report | act: what to do about an alarm already in ALARM when a deployment starts. */
  alreadyInAlarm: 'harbormaster:guard:already-in-alarm',
  /** A mode for SERVICE_DEPLOYMENT_FAILED without an ECS rollback. */
  ecsFailure: 'harbormaster:guard:ecs-failure',
  /** Minutes of bake time after COMPLETED. */
  bake: 'harbormaster:guard:bake-minutes',
} as const;

/** The settings a service's tags give, as one more layer, and the tags that could not be read. */
interface TagLayer {
  layer: Omit<ServiceGuardLayer, 'cluster' | 'service'>;
  problems: string[];
}

const isMode = (value: string): value is GuardMode =>
  (GUARD_MODES as readonly string[]).includes(value);

const wholeNumber = (value: string, min: number, max: number): number | undefined => {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
};

/** "notify 5" → { mode: notify, number: 5 }; a token that is neither is a problem. */
const modeAndNumber = (
  key: string,
  value: string,
  min: number,
  max: number,
  problems: string[],
): { mode?: GuardMode; number?: number } => {
  const out: { mode?: GuardMode; number?: number } = {};
  for (const token of value.trim().split(/\s+/).filter(Boolean)) {
    const n = wholeNumber(token, min, max);
    if (isMode(token)) out.mode = token;
    else if (n !== undefined) out.number = n;
    else
      problems.push(
        `${key}="${value}": "${token}" is neither ${GUARD_MODES.join('/')} nor a number from ${min} to ${max}`,
      );
  }
  return out;
};

/** Reads the guard's settings from a service's tags; unreadable tags are named, never fatal. */
const readGuardTags = (tags: Readonly<Record<string, string>>): TagLayer => {
  const problems: string[] = [];
  const layer: TagLayer['layer'] = {};
  const mode = tags[GUARD_TAGS.mode]?.trim();
  if (mode !== undefined) {
    if (isMode(mode)) layer.mode = mode;
    else problems.push(`${GUARD_TAGS.mode}="${mode}": expected ${GUARD_MODES.join(', ')}`);
  }
  const failed = tags[GUARD_TAGS.failedTasks];
  if (failed !== undefined) {
    const { mode: m, number } = modeAndNumber(GUARD_TAGS.failedTasks, failed, 1, 200, problems);
    layer.failedTasks = { ...(m ? { mode: m } : {}), ...(number ? { count: number } : {}) };
  }
  const deadline = tags[GUARD_TAGS.deadline];
  if (deadline !== undefined) {
    const { mode: m, number } = modeAndNumber(GUARD_TAGS.deadline, deadline, 1, 1440, problems);
    layer.deadline = { ...(m ? { mode: m } : {}), ...(number ? { minutes: number } : {}) };
  }
  const alarms = tags[GUARD_TAGS.alarms];
  if (alarms !== undefined) {
    const tokens = alarms.trim().split(/\s+/).filter(Boolean);
    const m = tokens.find(isMode);
    layer.alarms = { ...(m ? { mode: m } : {}), names: tokens.filter((t) => !isMode(t)) };
  }
  const already = tags[GUARD_TAGS.alreadyInAlarm]?.trim();
  if (already !== undefined) {
    if ((ALREADY_IN_ALARM as readonly string[]).includes(already)) {
      layer.alarms = {
        ...layer.alarms,
        alreadyInAlarm: already as (typeof ALREADY_IN_ALARM)[number],
      };
    } else {
      problems.push(
        `${GUARD_TAGS.alreadyInAlarm}="${already}": expected ${ALREADY_IN_ALARM.join(' or ')}`,
      );
    }
  }
  const ecsFailure = tags[GUARD_TAGS.ecsFailure]?.trim();
  if (ecsFailure !== undefined) {
    if (isMode(ecsFailure)) layer.ecsFailure = { mode: ecsFailure };
    else
      problems.push(`${GUARD_TAGS.ecsFailure}="${ecsFailure}": expected ${GUARD_MODES.join(', ')}`);
  }
  const bake = tags[GUARD_TAGS.bake]?.trim();
  if (bake !== undefined) {
    const minutes = wholeNumber(bake, 0, 1440);
    if (minutes === undefined) problems.push(`${GUARD_TAGS.bake}="${bake}": expected 0 to 1440`);
    else layer.bakeMinutes = minutes;
  }
  return { layer, problems };
};

export { GUARD_TAGS, readGuardTags, type TagLayer };
