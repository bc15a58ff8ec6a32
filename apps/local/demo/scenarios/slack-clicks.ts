import type { LocalStack } from '../../lambda/local-stack.ts';
import type { Timeline } from '../timeline.ts';

/** Who is in the demo's Slack workspace: the Slack app, #orders-deploys, alice and the on-call group. */
const DEMO_SLACK = {
  channel: 'orders-deploys',
  alice: 'alice',
  bob: 'bob',
  group: 'orders-oncall',
};

/** The workspace's channel and person by name (the ids are the simulated workspace's). */
const workspaceOf = (stack: LocalStack) => {
  const { workspace } = stack.local.slack;
  const channel = [...workspace.channels.values()].find((c) => c.name === DEMO_SLACK.channel);
  const person = (name: string) => {
    const user = [...workspace.users.values()].find((u) => u.name === name);
    if (!user) throw new Error(`no Slack user ${name} in the demo workspace`);
    return user;
  };
  const [app] = workspace.apps.values();
  if (!channel || !app) throw new Error('the demo workspace has no Slack app or channel');
  return { channel, app, person };
};

const hasButton = (blocks: unknown[] | undefined, actionId: string): boolean =>
  (blocks ?? []).some((block) =>
    ((block as { elements?: { action_id?: string }[] }).elements ?? []).some(
      (e) => e.action_id === actionId,
    ),
  );

/**
 * The newest thread parent of the channel offering the button `actionId`, as soon as one does
 * (a minute at a time, at most `minutes`): when attempts fail and Lambda retries them, alerts come
 * minutes late. Undefined if none did.
 */
const waitForButton = async (
  stack: LocalStack,
  channel: string,
  actionId: string,
  minutes: number,
) => {
  for (let waited = 0; ; waited += 1) {
    const parent = stack.local.slack
      .history(channel)
      .findLast((m) => hasButton(m.blocks, actionId));
    if (parent) return parent;
    // None came (under --chaos its alert may have been dead-lettered): nobody can press it.
    if (waited >= minutes) return undefined;
    await stack.elapse(60_000);
  }
};

/**
 * A person presses a button of a message: the block_actions request Slack signs with the app's
 * signing secret, POSTed to the chat-actions function URL through the local Lambda host. Slack
 * does not send a click again: when the function fails (5xx), Slack shows the person an error,
 * and the person presses again (at most three times).
 */
const press = async (
  stack: LocalStack,
  timeline: Timeline,
  who: string,
  messageTs: string,
  button: { actionId: string; label: string },
  options: { signed: boolean } = { signed: true },
) => {
  const { channel, app, person } = workspaceOf(stack);
  const user = person(who);
  const ephemerals = () =>
    stack.local.slack.ephemerals(channel.id).filter((e) => e.user === user.id);
  const seen = ephemerals().length;
  let answer: Awaited<ReturnType<LocalStack['functionUrl']>> | undefined;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const click = stack.local.slack.blockAction({
      app,
      user,
      channel: channel.id,
      messageTs,
      actionId: button.actionId,
    });
    const again = attempt > 1 ? ' again (Slack showed an error)' : '';
    const unsigned = options.signed ? '' : ' (sent without Slack\u2019s signature)';
    timeline.slack(`${who} presses "${button.label}"${again}${unsigned}`);
    answer = await stack.functionUrl(
      'chat-actions',
      options.signed ? click.signed() : click.unsigned(),
    );
    await stack.settle();
    if (answer.statusCode < 500 || !options.signed) break;
  }
  for (const told of ephemerals().slice(seen))
    timeline.slack(`only ${who} sees: ${timeline.slackText(told.text)}`);
  return answer;
};

export { DEMO_SLACK, press, waitForButton, workspaceOf };
