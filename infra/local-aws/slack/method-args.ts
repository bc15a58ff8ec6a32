import { isObject } from '../core/input.ts';
import type { SlackApp, SlackWorkspace } from './workspace.ts';

/** A Web API method's failure: `{"ok": false, "error": code, ...extra}`. */
export class SlackApiError extends Error {
  readonly code: string;
  readonly extra: Record<string, unknown>;

  constructor(code: string, extra: Record<string, unknown> = {}) {
    super(code);
    this.code = code;
    this.extra = extra;
  }
}

/** Arguments as received: JSON values, or strings from a form or query string. */
export type Args = Record<string, unknown>;

/** What a method runs with. */
export interface MethodContext {
  workspace: SlackWorkspace;
  app: SlackApp;
  args: Args;
  now: Date;
}

/** A Web API method: the scope it needs (given its arguments) and what it does. */
export interface SlackMethod {
  /** The scope the call needs, or undefined for none (checked before it runs). */
  scope(ctx: MethodContext): string | undefined;
  run(ctx: MethodContext): Record<string, unknown>;
}

export const str = (args: Args, key: string): string | undefined => {
  const value = args[key];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
};

export const bool = (args: Args, key: string): boolean => {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
};

/**
 * A JSON argument (`blocks`, `attachments`): an array in a JSON body, a JSON string in a form
 * ("A JSON-based array of structured blocks, presented as a URL-encoded string").
 */
export const jsonArray = (args: Args, key: string, malformed: string): unknown[] | undefined => {
  const value = args[key];
  if (value === undefined || value === null || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new SlackApiError(malformed);
    }
  }
  if (!Array.isArray(parsed)) throw new SlackApiError(malformed);
  return parsed;
};

/** `invalid_arguments` naming the missing field, as Slack words it. */
export const missingField = (field: string): SlackApiError =>
  new SlackApiError('invalid_arguments', {
    response_metadata: { messages: [`[ERROR] missing required field: ${field}`] },
  });

/** Reads the body of a Web API call: JSON (token only in the header) or a form. */
export const parseArgs = (
  raw: string,
  contentType: string,
  query: URLSearchParams,
): { args: Args; bodyToken?: string; warnings: string[] } => {
  const args: Args = Object.fromEntries(query.entries());
  const warnings: string[] = [];
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw === '') return { args, warnings };
  if (type === 'application/json') {
    // docs.slack.dev/apis/web-api: JSON bodies must send the token as a bearer header, and a
    // missing charset draws a `missing_charset` warning.
    if (!/charset=/i.test(contentType)) warnings.push('missing_charset');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new SlackApiError('invalid_json');
    }
    if (!isObject(parsed)) throw new SlackApiError('json_not_object');
    return { args: { ...args, ...parsed }, warnings };
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    const form = Object.fromEntries(new URLSearchParams(raw).entries());
    const bodyToken = typeof form.token === 'string' ? form.token : undefined;
    return { args: { ...args, ...form }, warnings, ...(bodyToken ? { bodyToken } : {}) };
  }
  throw new SlackApiError('invalid_post_type');
};
