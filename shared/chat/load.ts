import type { EcsPort } from '#aws/ecs/port.ts';
import type { ServiceDeploymentsPort } from '#aws/ecs/service-deployments.ts';
import type { GuardStore } from '#guard/ports.ts';
import type { LeaseStore } from '#kernel/lease/port.ts';
import { type PauseAnswer, pauseLeaseKey } from './actions/answer-pause.ts';
import type { ClickQueue, ClickResponder } from './actions/answers.ts';
import type { ThreadContext } from './actions/thread-notes.ts';
import type { ClickState } from './clicks/decide-click.ts';
import type { ChatConfig } from './config.ts';
import type { Directory, SlackRequests } from './interactions/adapters.ts';
import { groupsToCheck } from './interactions/authorize.ts';
import { readClick } from './interactions/click.ts';
import { type RequestRead, targetOf } from './interactions/decide-request.ts';
import type { ChatEvent } from './interactions/events.ts';
import type { SnoozeStore } from './ports.ts';
import type { ThreadKey } from './threads/record.ts';

/** What the chat-actions function reads and writes through. */
interface ChatPorts {
  requests: SlackRequests;
  directory: Directory;
  /** The workspace of the bot token (auth.test), read once. */
  workspace(): Promise<string>;
  clicks: ClickQueue;
  responder: ClickResponder;
  threads: ThreadContext;
  snoozes: SnoozeStore;
  ecs: EcsPort;
  guardStore: GuardStore;
  /**
   * Approve, Reject, and Roll back now on blue/green, linear and canary deployments: the service
   * deployment APIs (DescribeServiceDeployments, ContinueServiceDeployment, StopServiceDeployment).
   */
  serviceDeployments: ServiceDeploymentsPort;
  own: { account: string | undefined; region: string | undefined };
  /** The kernel's leases (who answered a pause from chat) and the runtime's clock. */
  leases: LeaseStore;
  clock: () => Date;
}

type ChatState =
  | { kind: 'request'; read: RequestRead }
  | ({ kind: 'click' } & ClickState)
  | { kind: 'sweep'; due: ThreadKey[] };

// A sweep posts at most this many threads; the next one takes the rest.
const SWEEP_THREADS = 25;

/**
 * A request: its signature first (nothing of the body is read before), then the click, then what
 * deciding who may press it needs (the service's tags, the user's groups among those that matter).
 */
const loadRequest = async (
  event: Extract<ChatEvent, { kind: 'slack-request' }>,
  ports: ChatPorts,
  chat: NonNullable<ChatConfig>,
): Promise<RequestRead> => {
  const verified = ports.requests.verify(event.request);
  if (!verified.ok) return { verdict: 'refused', problem: verified.problem };
  const read = readClick(verified.body);
  if (!read.ok) return { verdict: 'malformed', problem: read.problem };
  const { click } = read;
  const workspace = await ports.workspace();
  const kind = click.button?.action.kind;
  if (!kind) return { verdict: 'verified', click, workspace, tags: undefined, memberOf: [] };
  const target = targetOf(click);
  const tags =
    target.cluster && target.service
      ? await ports.directory.tags(target.cluster, target.service)
      : undefined;
  const groups = groupsToCheck(chat, { action: kind, ...target, tags });
  const memberOf = await ports.directory.memberOf(click.user.id, groups);
  return { verdict: 'verified', click, workspace, tags, memberOf };
};

/** A queued click: its thread, and the state of what it acts on. */
const loadClick = async (
  event: Extract<ChatEvent, { kind: 'click' }>,
  ports: ChatPorts,
): Promise<ClickState> => {
  const button = event.click.button;
  const thread = button ? await ports.threads.store.get(button.thread) : undefined;
  const state: ClickState = { thread, own: ports.own };
  const action = button?.action;
  if (action?.kind === 'rollback') {
    const arn = action.serviceDeploymentArn;
    const [service, history, serviceDeployment] = await Promise.all([
      ports.ecs.describeService(action.cluster, action.service),
      ports.guardStore.history(action.cluster, action.service),
      arn ? ports.serviceDeployments.describe([arn]).then(([found]) => found) : undefined,
    ]);
    return { ...state, service, rollbacks: history.rollbacks, serviceDeployment };
  }
  if (action?.kind === 'approve' || action?.kind === 'reject') {
    const [[pause], lease] = await Promise.all([
      ports.serviceDeployments.describe([action.serviceDeploymentArn]),
      ports.leases.read(
        pauseLeaseKey(action.serviceDeploymentArn, action.hookId),
        ports.clock().getTime(),
      ),
    ]);
    const done = lease?.state === 'done' ? (lease.result as PauseAnswer) : undefined;
    const answered = done && !done.refused ? { by: done.by, at: done.at } : undefined;
    return { ...state, pause, answered };
  }
  return state;
};

const loadChatState = async (
  event: ChatEvent,
  ports: ChatPorts,
  chat: NonNullable<ChatConfig>,
): Promise<ChatState> => {
  switch (event.kind) {
    case 'slack-request':
      return { kind: 'request', read: await loadRequest(event, ports, chat) };
    case 'click':
      return { kind: 'click', ...(await loadClick(event, ports)) };
    case 'sweep':
      return {
        kind: 'sweep',
        due: await ports.threads.store.due(ports.clock(), SWEEP_THREADS),
      };
  }
};

export { type ChatPorts, type ChatState, loadChatState };
