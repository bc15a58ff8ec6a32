import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PermanentError, TransientError } from '#kernel/errors.ts';
import type { Telemetry } from '#kernel/telemetry.ts';
import type { ClickQueue, ClickResponder } from '../actions/answers.ts';
import type { SlackWebApi } from '../slack/web-api.ts';
import type { Click } from './click.ts';
import { type RawRequest, type Verification, verifySlackRequest } from './verify.ts';

/** Checks requests against the app's signing secret, which never leaves this adapter. */
interface SlackRequests {
  verify(request: RawRequest): Verification;
}

/**
 * The verifier of the function: every refused request is logged (the problem, never the headers
 * or the body) and counted in the SlackRequestsRefused metric.
 */
const createSlackRequests = (
  secret: string,
  clock: () => Date,
  telemetry: Telemetry,
): SlackRequests => ({
  verify: (request) => {
    const verdict = verifySlackRequest(request, secret, clock());
    if (!verdict.ok) {
      telemetry.counters.count('SlackRequestsRefused');
      telemetry.log.warn('Slack request refused', { problem: verdict.problem });
    }
    return verdict;
  },
});

/** Who is in which user group, and a service's tags: what deciding who may click needs. */
interface Directory {
  /** The groups of `groups` the user is in (usergroups.users.list, kept a few minutes). */
  memberOf(user: string, groups: readonly string[]): Promise<string[]>;
  tags(cluster: string, service: string): Promise<Record<string, string> | undefined>;
}

/** Keeps what it read for `ttlMs` per Lambda container; a group it cannot read has no members. */
const createDirectory = (parts: {
  slack: SlackWebApi;
  readTags: (cluster: string, service: string) => Promise<Record<string, string> | undefined>;
  ttlMs: number;
  clock: () => Date;
  telemetry: Telemetry;
}): Directory => {
  const groups = new Map<string, { at: number; members: Set<string> }>();
  const tags = new Map<string, { at: number; tags: Record<string, string> | undefined }>();
  const fresh = (at: number) => parts.clock().getTime() - at < parts.ttlMs;
  const members = async (group: string): Promise<Set<string>> => {
    const hit = groups.get(group);
    if (hit && fresh(hit.at)) return hit.members;
    let read: Set<string>;
    try {
      read = new Set(await parts.slack.userGroupMembers(group));
    } catch (error) {
      // plan_upgrade_required (a free workspace), no_such_subteam: nobody is in it.
      if (!(error instanceof PermanentError)) throw error;
      parts.telemetry.log.warn('Slack user group unreadable; taken as empty', {
        group,
        error: error.message,
      });
      read = new Set();
    }
    groups.set(group, { at: parts.clock().getTime(), members: read });
    return read;
  };
  return {
    memberOf: async (user, wanted) => {
      const found: string[] = [];
      for (const group of wanted) if ((await members(group)).has(user)) found.push(group);
      return found;
    },
    tags: async (cluster, service) => {
      const key = `${cluster}/${service}`;
      const hit = tags.get(key);
      if (hit && fresh(hit.at)) return hit.tags;
      const read = await parts.readTags(cluster, service);
      tags.set(key, { at: parts.clock().getTime(), tags: read });
      return read;
    },
  };
};

/** Clicks published to the chat-actions topic, which invokes the function asynchronously. */
const createClickQueue = (client: SNSClient, topicArn: string): ClickQueue => ({
  enqueue: async (click: Click) => {
    await client.send(
      new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ click }) }),
    );
  },
});

const SLACK_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);

/**
 * Posts ephemeral answers to a click's response_url. Only Slack's hosts (and the local endpoint's,
 * named by SLACK_API_URL) are ever called: the URL comes from the request, and must not make the
 * function call anywhere else.
 */
const createClickResponder = (options: {
  localHost?: string | undefined;
  timeoutMs: number;
  fetchImpl?: typeof fetch;
}): ClickResponder => {
  const fetchImpl = options.fetchImpl ?? fetch;
  return {
    tell: async (responseUrl, text) => {
      const url = new URL(responseUrl);
      const slack = url.protocol === 'https:' && SLACK_HOSTS.has(url.hostname);
      if (!slack && url.host !== options.localHost)
        throw new PermanentError(`response_url host ${url.hostname.slice(0, 100)} is not Slack's`);
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await response.body?.cancel();
      // 404 used_url or expired_url: five uses, 30 minutes; nothing a retry can change.
      if (response.status >= 500) throw new TransientError(`response_url: HTTP ${response.status}`);
    },
  };
};

export {
  createClickQueue,
  createClickResponder,
  createDirectory,
  createSlackRequests,
  type Directory,
  type SlackRequests,
};
