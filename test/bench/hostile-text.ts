import { Bench } from 'tinybench';
import { formatEmail } from '#alerts/formats/email.ts';
import { formatSlackMessage } from '#alerts/formats/slack.ts';
import { formatSnsPublication } from '#alerts/formats/sns.ts';
import { escapeClip, safeLine } from '#alerts/formats/text.ts';
import { renderAlert } from '#alerts/render.ts';
import { serviceEventAlertRenderers } from '#alerts/service-events/actions.ts';
import { explainPlacementReason, serviceEventGuide } from '#alerts/service-events/catalog.ts';
import { recordBody } from '#dead-letters/dead-letter-queue.ts';
import { deploymentThreadId } from '#kernel/alerts/threads.ts';
import { parseArn, serviceFromArn, taskDefinitionRef, taskFromArn } from '#kernel/events/arn.ts';
import { parseEvent } from '#kernel/events/parse.ts';
import { classifyStoppedTask } from '#kernel/events/stopped-task.ts';
import type { TaskDetail } from '#kernel/events/task-state-change.ts';
import { classifyFailure } from '#kernel/failures.ts';
import { matchesIamPattern } from '#kernel/scope.ts';
import { redactSecrets } from '#kernel/secrets.ts';
import { fixture, type Json, withDetail } from '#support/events.ts';

/** EventBridge's event size: every input below is this long, built to be a matcher's worst case. */
const SIZE = 262_144;
const TARGET_MS = 50;

const fill = (unit: string, prefix = '', suffix = ''): string =>
  `${prefix}${unit.repeat(Math.ceil((SIZE - prefix.length - suffix.length) / unit.length))}${suffix}`.slice(
    0,
    SIZE,
  );

const stopped = (stoppedReason: string, containerReason?: string): TaskDetail =>
  ({
    clusterArn: 'arn:aws:ecs:us-east-1:111122223333:cluster/prod',
    lastStatus: 'STOPPED',
    stoppedReason,
    containers: [
      { name: 'app', exitCode: 1, ...(containerReason ? { reason: containerReason } : {}) },
    ],
  }) as TaskDetail;

const alertWith = (text: string) => ({
  kind: 'service-event',
  severity: 'error' as const,
  subject: { account: '111122223333', region: 'us-east-1', cluster: text, service: text },
  occurredAt: '2026-11-21T12:00:00.000Z',
  threadId: 't',
  dedup: { key: text, windowSeconds: 60 },
  eventName: text,
  eventType: 'ERROR' as const,
  reason: text,
  capacityProviders: [text],
  containerInstances: [text],
  tasks: [],
});

const attempt = (run: () => unknown): unknown => {
  try {
    return run();
  } catch (error) {
    return error;
  }
};

/**
 * Each classifier and matcher that reads event text, on 256 KB built against it: the prefixes a
 * regular expression would backtrack over, repeated to the size of an event. Target: 50 ms each.
 */
const hostileTextBench = async (): Promise<string[]> => {
  const mentions = fill('<!channel> <@U123> <https://x|y> & ');
  const service = fixture('service-action-placement-failure-ec2-cpu-docs');
  const bigEvent: Json = { ...service, detail: { ...(service.detail as Json), extra: fill('x') } };
  const invalidEvent = withDetail('service-action-placement-failure-ec2-cpu-docs', {
    reason: fill('hunter2 '),
  });
  const cases: [string, () => unknown][] = [
    ['parseEvent: 256 KB detail (refused by size)', () => attempt(() => parseEvent(bigEvent))],
    ['parseEvent: 256 KB reason (issue, no echo)', () => attempt(() => parseEvent(invalidEvent))],
    [
      'classifyStoppedTask: "Task failed a a a..."',
      () => classifyStoppedTask(stopped(fill('a ', 'Task failed '))),
    ],
    [
      'classifyStoppedTask: "CannotPull..." repeated',
      () => classifyStoppedTask(stopped(fill('CannotPullContainer'))),
    ],
    [
      'classifyStoppedTask: "spot" without "interrupt"',
      () => classifyStoppedTask(stopped(fill('spot '), fill('OutOfMemor'))),
    ],
    ['taskDefinitionRef: ":1:1:1...x"', () => taskDefinitionRef(fill(':1', 'web', 'x'))],
    [
      'parseArn, serviceFromArn, taskFromArn',
      () => [
        parseArn(fill(':')),
        serviceFromArn(fill('a/', 'arn:aws:ecs:us-east-1:1:service/')),
        taskFromArn(fill('/', 'arn:aws:ecs:us-east-1:1:task/')),
      ],
    ],
    [
      'classifyFailure: "not authorized to perform:" repeated',
      () =>
        classifyFailure(
          Object.assign(new Error(fill('not authorized to perform: a:b on resource: ')), {
            name: 'AccessDeniedException',
          }),
        ),
    ],
    [
      'serviceEventGuide, explainPlacementReason',
      () => [serviceEventGuide(fill('SERVICE_')), explainPlacementReason(fill('RESOURCE:'))],
    ],
    [
      'redactSecrets: "https://hooks.slack.co" repeated',
      () => redactSecrets(fill('https://hooks.slack.co')),
    ],
    [
      'redactSecrets: one 256 KB webhook URL',
      () => redactSecrets(fill('a', 'https://hooks.slack.com/')),
    ],
    [
      'safeLine + escapeClip: mentions and controls',
      () => escapeClip(safeLine(`${mentions}\u202e\r\n`), 3000),
    ],
    [
      'deploymentThreadId: 256 KB names',
      () => deploymentThreadId(fill('!a'), fill('-'), fill('ecs-svc/')),
    ],
    [
      'render + SNS, Slack, email: 256 KB in every field',
      () => {
        const message = renderAlert(alertWith(mentions) as never, serviceEventAlertRenderers);
        return [formatSnsPublication(message), formatSlackMessage(message), formatEmail(message)];
      },
    ],
    [
      'dead-letter record clipped by bytes: 256 KB of \u20ac',
      () => recordBody({ requestPayload: { detail: fill('\u20ac') } }, SIZE),
    ],
    [
      'matchesIamPattern: "*a*a*...b" on 256 KB',
      () => matchesIamPattern(fill('a'), `${'*a'.repeat(16)}*b`),
    ],
  ];

  const bench = new Bench({ time: 400, warmupTime: 50, iterations: 5 });
  let sink = 0;
  for (const [name, run] of cases) {
    bench.add(name, () => {
      sink += run() === undefined ? 0 : 1;
    });
  }
  await bench.run();
  const lines = [
    `Classifiers and matchers on event text, 256 KB inputs built against each (target: mean < ${TARGET_MS} ms): mean, p99, min-max`,
  ];
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') {
      lines.push(`${task.name.padEnd(52)} did not complete`);
      continue;
    }
    const { mean, p99, min, max } = result.latency;
    const fmt = (ms: number) => ms.toFixed(2).padStart(7);
    lines.push(
      `${task.name.padEnd(52)} ${fmt(mean)} ms  p99 ${fmt(p99)}  (${min.toFixed(2)}-${max.toFixed(2)})${mean < TARGET_MS ? '  met' : '  MISSED'}`,
    );
  }
  if (sink < 0) lines.push(String(sink));
  return lines;
};

export { hostileTextBench };
