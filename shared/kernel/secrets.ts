/**
 * Keeps credentials out of every text Harbormaster writes: log lines (the Powertools logger's
 * replacer), alerts (rendering), dead-letter records and error messages. Two nets: the exact
 * secrets this instance read at cold start (the Slack webhook URL, whatever its host), and any
 * URL of a Slack incoming webhook's shape, whose path is the credential.
 */

const REDACTED = '[redacted]';

/** The secrets this function instance holds, registered where they are read. */
const known = new Set<string>();

// hooks.slack.com/services/T.../B.../..., /triggers/..., /workflows/...; GovSlack's too. A single
// character class after a fixed prefix: linear on any input.
const SLACK_WEBHOOK = /https?:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"'<>\\|]*/gi;

/** Remembers a secret so that no text this instance writes can carry it. */
const registerSecret = (value: string): void => {
  // Too short a value would redact ordinary words; a webhook URL is far longer.
  if (value.length >= 16) known.add(value);
};

interface RedactOptions {
  /** Also replace every URL of a Slack webhook's shape (default), not only the known secrets. */
  shapes?: boolean;
}

/** The text with every known secret and every Slack webhook URL replaced. */
const redactSecrets = (text: string, options: RedactOptions = {}): string => {
  let out = text;
  for (const secret of known) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
  // A native substring search first: most texts hold no webhook and skip the expression.
  if (options.shapes === false || !out.toLowerCase().includes('hooks.slack')) return out;
  return out.replace(SLACK_WEBHOOK, `https://hooks.slack.com/${REDACTED}`);
};

/** A copy of a JSON-like value with every string redacted (keys are kept as they are). */
const redactDeep = (value: unknown, options: RedactOptions = {}): unknown => {
  if (typeof value === 'string') return redactSecrets(value, options);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, options));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      // defineProperty: a key named __proto__ stays a plain key, never the prototype.
      Object.defineProperty(out, key, {
        value: redactDeep(child, options),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
};

export { REDACTED, redactDeep, redactSecrets, registerSecret };
