import type { WallTime } from './schedule-expression.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatter = (timeZone: string): Intl.DateTimeFormat => {
  let found = formatters.get(timeZone);
  if (found === undefined) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, found);
  }
  return found;
};

/** The wall-clock time at `instant` (epoch ms) in `timeZone`. */
export const wallAt = (instant: number, timeZone: string): WallTime => {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
};

/** A wall time read as if it were UTC: a number to compare and do arithmetic on wall times with. */
export const wallMs = (wall: WallTime): number =>
  Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);

/**
 * The instants (epoch ms, earliest first) at which `timeZone`'s clocks show `wall`: none when the
 * clocks skip it (spring forward), two when they show it twice (fall back), else one. The offset
 * is looked up a day either side, which covers every transition of the IANA database.
 */
export const instantsOf = (wall: WallTime, timeZone: string): number[] => {
  const target = wallMs(wall);
  const offsets = new Set(
    [-86_400_000, 0, 86_400_000].map((shift) => {
      const probe = target + shift;
      return wallMs(wallAt(probe, timeZone)) - Math.floor(probe / 1000) * 1000;
    }),
  );
  return [...offsets]
    .map((offset) => target - offset)
    .filter((instant) => wallMs(wallAt(instant, timeZone)) === target)
    .sort((a, b) => a - b);
};
