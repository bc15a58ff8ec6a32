// The real services format the same instant differently depending on where it appears; these
// helpers keep each format in one place.

/** Envelope `time` of EventBridge events: ISO-8601 without milliseconds. */
export const isoSeconds = (ms: number): string =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** ECS event detail timestamps: ISO-8601 with trailing zeros of the fraction dropped ("…:34.52Z"). */
export const isoTrimmed = (ms: number): string => {
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return fraction === '' ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 19)}.${fraction}Z`;
};

/** JSON-protocol timestamps: epoch seconds, with milliseconds as the fraction. */
export const epochSeconds = (ms: number): number => ms / 1000;

/** CloudWatch alarm event timestamps: "2019-10-02T17:04:40.989+0000". */
export const cloudWatchTimestamp = (ms: number): string =>
  new Date(ms).toISOString().replace('Z', '+0000');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Dates inside CloudTrail `responseElements` of ECS calls: "Nov 21, 2026, 11:02:17 PM" (UTC). */
export const cloudTrailResponseDate = (ms: number): string => {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const month = MONTHS[d.getUTCMonth()] ?? 'Jan';
  return `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${hour12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
};
