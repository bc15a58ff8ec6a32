/**
 * Slack's mrkdwn for the texts the chat wing writes itself (notes, buttons' confirmations): the
 * three characters Slack parses are escaped (docs.slack.dev/messaging/formatting-message-text),
 * and a clip never cuts an entity in half. Event text reaches Slack through the alerts wing's
 * formatter, which escapes it the same way.
 */

const escapeMrkdwn = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Escaped mrkdwn clipped to `max` characters, never inside an entity or a surrogate pair. */
const clipMrkdwn = (escaped: string, max: number): string => {
  if (escaped.length <= max) return escaped;
  let end = Math.max(0, max - 1);
  const code = escaped.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  const amp = escaped.lastIndexOf('&', end - 1);
  if (amp !== -1 && escaped.indexOf(';', amp) >= end) end = amp;
  return `${escaped.slice(0, end)}\u2026`;
};

/** Plain text clipped to `max` characters (plain_text objects: headers, buttons, dialogs). */
const clipPlain = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}\u2026`;

/** A mention of a Slack user by id (ids are [A-Z0-9]; anything else is shown escaped). */
const mention = (userId: string): string =>
  /^[UW][A-Z0-9]{2,20}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);

/** HH:MM UTC of an ISO-8601 time. */
const clock = (iso: string): string => `${iso.slice(11, 16)} UTC`;

export { clipMrkdwn, clipPlain, clock, escapeMrkdwn, mention };
