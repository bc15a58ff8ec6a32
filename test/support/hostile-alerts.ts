import { formatSlackMessage } from '#alerts/formats/slack.ts';
import { formatSnsPublication } from '#alerts/formats/sns.ts';
import { renderAlert } from '#alerts/render.ts';
import { FUNCTIONS } from '#functions/registry.ts';
import type { AlertMessage } from '#kernel/alerts/model.ts';
import { invoke } from '#kernel/invoke.ts';
import { policyAlertRenderers } from '#policies/actions/index.ts';
import { fixture, fixtureNames, type Json } from './events.ts';
import { awsError, fakeRuntime } from './fakes.ts';
import { decide } from './policy-decide.ts';
import { registerEvent, withPolicies } from './policy-events.ts';
import { serviceState } from './services.ts';
import { compliantTaskDefinition } from './task-definitions.ts';

/**
 * What hostile text in an ECS field tries in a chat that renders Slack mrkdwn: ping a channel,
 * everyone online, a user, and forge a link with a label of its choice.
 */
const MENTIONS_AND_LINKS = ['<!channel>', '<!here>', '<@U123>', '<https://evil.example|click>'];
const HOSTILE = MENTIONS_AND_LINKS.join(' ');

type Path = (string | number)[];

const stringLeaves = (value: unknown, prefix: Path = []): Path[] => {
  if (typeof value === 'string') return [prefix];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    stringLeaves(child, [...prefix, Array.isArray(value) ? Number(key) : key]),
  );
};

/** A copy of `value` with the hostile text appended to the string at `path`. */
const withHostileAt = <T>(value: T, path: Path): T => {
  const copy = structuredClone(value);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  node[last] = `${String(node[last])} ${HOSTILE}`;
  return copy;
};

/** Every variant of a real event with the hostile text in one of its detail strings or resources. */
const hostileVariants = (event: Json): Json[] => [
  ...stringLeaves(event.detail, ['detail']).map((path) => withHostileAt(event, path)),
  ...stringLeaves(event.resources, ['resources']).map((path) => withHostileAt(event, path)),
];

const ENVELOPES = fixtureNames().filter((name) => !name.startsWith('cloudtrail-record'));

/** The alerts every function sends for hostile variants of every real event it handles. */
const alertsFromEvents = async (): Promise<AlertMessage[]> => {
  const messages: AlertMessage[] = [];
  for (const name of ENVELOPES) {
    for (const variant of hostileVariants(fixture(name))) {
      for (const fn of ['service-alerts', 'deployment-guard'] as const) {
        const definition = FUNCTIONS[fn];
        if (!definition) continue;
        const fake = fakeRuntime({ functionName: fn, services: [serviceState()] });
        await invoke(definition, variant, fake.runtime, fake.ports);
        messages.push(...fake.sns.sent);
      }
      // The same event, dead-lettered.
      const fake = fakeRuntime({ functionName: 'dead-letters' });
      const record = {
        version: '1.0',
        timestamp: '2026-11-21T12:00:00.000Z',
        requestContext: {
          requestId: `r-${messages.length}`,
          functionArn:
            'arn:aws:lambda:us-west-2:111122223333:function:harbormaster-prod-service-alerts',
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
        },
        requestPayload: variant,
        responsePayload: { errorType: 'ThrottlingException', errorMessage: 'Rate exceeded' },
      };
      const deadLetters = FUNCTIONS['dead-letters'];
      if (deadLetters) await invoke(deadLetters, record, fake.runtime, fake.ports);
      messages.push(...fake.sns.sent);
    }
  }
  return messages;
};

/**
 * Error texts carrying the hostile text: a permanent failure's AWS error message (the handler-error
 * alert) and a dead-lettered invocation's error message.
 */
const alertsFromErrors = async (): Promise<AlertMessage[]> => {
  const failing = fakeRuntime({
    functionName: 'deployment-guard',
    ecsError: awsError('ClusterNotFoundException', `Cluster not found: ${HOSTILE}`),
  });
  const guard = FUNCTIONS['deployment-guard'];
  if (guard) {
    await invoke(
      guard,
      fixture('deployment-failed-circuit-breaker-docs'),
      failing.runtime,
      failing.ports,
    );
  }
  const parking = fakeRuntime({ functionName: 'dead-letters' });
  const deadLetters = FUNCTIONS['dead-letters'];
  const record = {
    version: '1.0',
    timestamp: '2026-11-21T12:00:00.000Z',
    requestContext: {
      requestId: 'r-error',
      functionArn:
        'arn:aws:lambda:us-west-2:111122223333:function:harbormaster-prod-deployment-guard',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: fixture('deployment-failed-circuit-breaker-docs'),
    responsePayload: { errorType: 'TransientError', errorMessage: HOSTILE },
  };
  if (deadLetters) await invoke(deadLetters, record, parking.runtime, parking.ports);
  return [...failing.sns.sent, ...parking.sns.sent];
};

/** Policy violations on a registered task definition with the hostile text in one of its strings. */
const alertsFromPolicies = (): AlertMessage[] => {
  const definition = compliantTaskDefinition({ family: 'web' }) as Json;
  const policy = {
    name: 'baseline',
    resource: 'ecs-task-definition',
    mode: 'notify',
    filters: [{ type: 'image-pinned' }, { type: 'not-privileged' }, { type: 'non-root-user' }],
  };
  const containerPaths = stringLeaves(definition).filter(
    (path) => path[0] === 'containerDefinitions',
  );
  return containerPaths.flatMap((path) => {
    const hostile = withHostileAt(definition, path);
    const containers = (hostile.containerDefinitions as Json[]).map((c) => ({
      ...c,
      image: `${String(c.image).split(':')[0]}:latest`,
      privileged: true,
      user: 'root',
    }));
    const decision = decide(
      registerEvent({ ...hostile, containerDefinitions: containers }),
      withPolicies(policy),
    );
    return decision.actions.flatMap((action) =>
      action.type === 'notify' ? [renderAlert(action.alert, policyAlertRenderers)] : [],
    );
  });
};

/** Every rendered alert of the three sources above. */
const hostileAlerts = async (): Promise<AlertMessage[]> => [
  ...(await alertsFromEvents()),
  ...(await alertsFromErrors()),
  ...alertsFromPolicies(),
];

const rawMentions = (text: string): boolean =>
  MENTIONS_AND_LINKS.some((token) => text.includes(token));

/** The texts Amazon Q Developer renders as client markdown (Slack mrkdwn in Slack). */
const chatTexts = (message: AlertMessage): string[] => {
  const { Message } = formatSnsPublication(message);
  const chat = JSON.parse((JSON.parse(Message) as { default: string }).default) as {
    content: { title: string; description: string; nextSteps: string[]; keywords: string[] };
    metadata: { summary: string; additionalContext: Record<string, string> };
  };
  return [
    chat.content.title,
    chat.content.description,
    ...chat.content.nextSteps,
    ...chat.content.keywords,
    chat.metadata.summary,
    ...Object.values(chat.metadata.additionalContext),
  ];
};

/** The texts Slack renders as mrkdwn in the Block Kit message (plain_text never parses mentions). */
const slackMrkdwnTexts = (message: AlertMessage): string[] => {
  const { text, blocks } = formatSlackMessage(message);
  const texts: string[] = [text];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'mrkdwn' && typeof record.text === 'string') texts.push(record.text);
      Object.values(record).forEach(visit);
    }
  };
  visit(blocks);
  return texts;
};

/** How many of the messages let a mention or a forged link through to a channel. */
const unescapedCounts = (messages: readonly AlertMessage[]) => ({
  total: messages.length,
  chat: messages.filter((m) => chatTexts(m).some(rawMentions)).length,
  slack: messages.filter((m) => slackMrkdwnTexts(m).some(rawMentions)).length,
});

export { HOSTILE, hostileAlerts, hostileVariants, MENTIONS_AND_LINKS, unescapedCounts };
