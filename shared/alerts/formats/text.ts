/**
 * Event text made safe to show, and bounded the way each channel counts. Every function here is a
 * single pass over its input (no backtracking), so a 256 KB field costs what copying it costs.
 */

const ELLIPSIS = '\u2026';

/**
 * Line breaks, tabs, C0/C1 controls and the bidirectional overrides and isolates that can make a
 * line read differently from what it holds ("Trojan Source"). Text from ECS is one line per field.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters replaced.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const replaceUnsafe = (char: string): string =>
  /[\t\n\v\f\r\u0085\u2028\u2029]/.test(char) ? ' ' : '\ufffd';

/**
 * One line of text any channel can carry: lone UTF-16 surrogates (which no UTF-8 channel can
 * encode) become U+FFFD, line breaks become spaces, other controls U+FFFD.
 */
const safeLine = (text: string): string => {
  const formed = text.isWellFormed() ? text : text.toWellFormed();
  return formed.replace(UNSAFE, replaceUnsafe);
};

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** The end index of a cut at `end`, moved back so that it never splits a surrogate pair. */
const cutAt = (text: string, end: number): number =>
  end > 0 && isHighSurrogate(text.charCodeAt(end - 1)) ? end - 1 : end;

/**
 * Clips text to `max` UTF-16 code units, the ellipsis included. Slack and Amazon Q count
 * characters; a code unit is never fewer than a character, so the limit holds either way.
 */
const clip = (text: string, max: number): string => {
  if (text.length <= max) return text;
  return `${text.slice(0, cutAt(text, Math.max(0, max - 1)))}${ELLIPSIS}`;
};

/** Escapes the three characters Slack's mrkdwn parses (mentions, links, entities). */
const escapeMrkdwn = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * Clips mrkdwn built from escaped parts to `max`, as the channel counts it, never cutting an
 * entity (`&lt;`) or a surrogate pair in half.
 */
const clipEscaped = (escaped: string, max: number): string => {
  if (escaped.length <= max) return escaped;
  let end = cutAt(escaped, Math.max(0, max - 1));
  // Every & of escaped text opens an entity: cut before one that would not close.
  const amp = escaped.lastIndexOf('&', end - 1);
  if (amp !== -1 && escaped.indexOf(';', amp) >= end) end = amp;
  return `${escaped.slice(0, end)}${ELLIPSIS}`;
};

/**
 * Escapes text for mrkdwn and clips the escaped text to `max` (see clipEscaped). Escaping never
 * shortens text, so only the first `max` characters (and one to know a cut is due) are escaped.
 */
const escapeClip = (text: string, max: number): string =>
  clipEscaped(escapeMrkdwn(text.length > max ? text.slice(0, max + 1) : text), max);

/** The UTF-8 length of text, as SNS and SQS count their limits. */
const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

const charBytes = (code: number): number =>
  code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;

/** Clips text to at most `maxBytes` of UTF-8, the ellipsis (3 bytes) included, on a character. */
const clipBytes = (text: string, maxBytes: number): string => {
  if (utf8Bytes(text) <= maxBytes) return text;
  const budget = maxBytes - 3;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const next = charBytes(char.codePointAt(0) ?? 0);
    if (bytes + next > budget) break;
    bytes += next;
    end += char.length;
  }
  return `${text.slice(0, end)}${ELLIPSIS}`;
};

export { clip, clipBytes, clipEscaped, escapeClip, escapeMrkdwn, safeLine, utf8Bytes };
