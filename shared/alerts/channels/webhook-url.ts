import { ConfigError } from '#kernel/errors.ts';

const FIELD = 'alerts.slack.webhookUrlParameter';
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An https URL with a path (or http on this machine, for the local endpoint). */
const isWebhookUrl = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const secure =
    url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  return secure && url.pathname.length > 1 && !url.username && !url.password;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Secrets Manager's key/value secrets are JSON objects: {"url": "..."} or {"SLACK_WEBHOOK_URL": "..."}.
const fromDocument = (document: Record<string, unknown>, key: string | undefined): unknown => {
  if (key !== undefined) return Object.hasOwn(document, key) ? document[key] : undefined;
  const urls = Object.entries(document).filter(([, value]) => isWebhookUrl(value));
  if (urls.length === 1) return urls[0]?.[1];
  const named = urls.filter(([name]) => /webhook|url/i.test(name));
  return named.length === 1 ? named[0]?.[1] : undefined;
};

const parseDocument = (value: string): Record<string, unknown> | undefined => {
  if (!value.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The webhook URL an SSM parameter (or a Secrets Manager secret read through
 * /aws/reference/secretsmanager/) holds: a plain URL, or a key/value secret whose `key` (or only
 * URL-valued key) holds it. Anything else fails the cold start with a ConfigError that names the
 * parameter and never shows the value, which is a credential whatever shape it has.
 */
const webhookUrlFrom = (
  value: string,
  parameterName: string,
  key?: string,
  field = FIELD,
): string => {
  const trimmed = value.trim();
  if (isWebhookUrl(trimmed)) return trimmed;
  const document = parseDocument(trimmed);
  const found = document ? fromDocument(document, key) : undefined;
  if (isWebhookUrl(found)) return found.trim();
  const what = document
    ? key === undefined
      ? `a JSON document without exactly one webhook URL (set ${field.replace(/Parameter$/, 'Key')} to the key that holds it)`
      : `a JSON document whose key "${key}" does not hold a webhook URL`
    : `a value that is not a webhook URL (${value.length} characters)`;
  throw new ConfigError('the Slack webhook parameter', [
    {
      path: field,
      message: `${parameterName} holds ${what}; expected https://hooks.slack.com/services/..., or a Secrets Manager key/value secret holding it`,
    },
  ]);
};

export { isWebhookUrl, webhookUrlFrom };
