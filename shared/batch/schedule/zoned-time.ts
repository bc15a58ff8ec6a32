/** Wall-clock parts of an instant in a time zone. */
interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

let canonicalZones: Set<string> | undefined;

/**
 * True when `timeZone` is an IANA time zone name this runtime knows (as EventBridge Scheduler
 * takes). The canonical list answers quickly; building a formatter (ICU loads its zone data, over
 * 10 ms at cold start) is only needed for aliases such as Asia/Calcutta.
 */
const isTimeZone = (timeZone: string): boolean => {
  if (timeZone === 'UTC') return true;
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (canonicalZones.has(timeZone)) return true;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
};

/** The wall-clock time of `at` in `timeZone`. */
const wallTime = (at: Date, timeZone: string): WallTime => {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
};

const asUtc = (w: WallTime): number =>
  Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** The time zone's offset from UTC at `at`, in milliseconds. */
const offsetAt = (at: Date, timeZone: string): number =>
  asUtc(wallTime(at, timeZone)) - Math.floor(at.getTime() / 1000) * 1000;

/**
 * The instant a wall-clock time names in a time zone (the earlier one when the clock went back);
 * undefined when that wall time does not exist there (the clock skipped it).
 */
const instantOf = (wall: WallTime, timeZone: string): Date | undefined => {
  const guess = asUtc(wall);
  const candidates = [
    ...new Set([
      offsetAt(new Date(guess), timeZone),
      offsetAt(new Date(guess - 86_400_000), timeZone),
      offsetAt(new Date(guess + 86_400_000), timeZone),
    ]),
  ]
    .map((offset) => guess - offset)
    .filter((ms) => asUtc(wallTime(new Date(ms), timeZone)) === guess)
    .sort((a, b) => a - b);
  return candidates[0] === undefined ? undefined : new Date(candidates[0]);
};

/** True when the same wall-clock time already happened shortly before `at` (the clock went back). */
const isRepeatedWallTime = (at: Date, timeZone: string): boolean => {
  const wall = asUtc(wallTime(at, timeZone));
  // Clocks go back by 30 minutes (Lord Howe), one hour (most zones) or two hours (rare, historic).
  return [30, 60, 120].some(
    (minutes) => asUtc(wallTime(new Date(at.getTime() - minutes * 60_000), timeZone)) === wall,
  );
};

export { instantOf, isRepeatedWallTime, isTimeZone, type WallTime, wallTime };
