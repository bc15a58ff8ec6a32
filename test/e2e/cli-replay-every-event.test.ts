import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReplayEntry } from '#apps/replay/replay-engine.ts';
import { apiCallEvent, fixture, fixtureNames } from '#support/events.ts';
import { incidentState } from '#support/incident.ts';
import { registerEvent, revisionArn, taskStartEvent } from '#support/policy-events.ts';
import { harbormaster } from '#support/run-command.ts';
import { compliantService, withContainer } from '#support/task-definitions.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'events');

const scratch = () => mkdtempSync(join(tmpdir(), 'hm-replay-all-'));

const jsonLines = (events: unknown[]) => `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;

const replay = async (...args: string[]) => {
  const result = await harbormaster('replay', ...args, '--json');
  const entries = result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ReplayEntry & { summary?: unknown })
    .filter((o) => !o.summary);
  return { ...result, entries };
};

/** The four CloudTrail calls the intake parses, derived from the docs' CloudTrail record. */
const apiCalls = () => {
  const service = compliantService();
  return [
    registerEvent(withContainer({})),
    apiCallEvent('CreateService', { cluster: 'prod', serviceName: 'web' }, { service }),
    apiCallEvent('UpdateService', { cluster: 'prod', service: 'web' }, { service }),
    apiCallEvent(
      'RunTask',
      { cluster: 'prod', taskDefinition: 'web:2', count: 1 },
      { tasks: [], failures: [] },
    ),
  ];
};

const HARDENED = {
  name: 'hardened',
  resource: 'ecs-task-definition',
  mode: 'enforce',
  filters: [{ type: 'non-root-user' }],
  actions: [{ type: 'tag', key: 'harbormaster:noncompliant' }],
};

describe('CLI: harbormaster replay on every event kind', () => {
  it('gives every real event a decision from the functions that handle it; only what cannot be read is invalid', async () => {
    // Prepare: the real events (a directory), the CloudTrail calls and two malformed events (JSONL)
    const dir = scratch();
    const malformed = [
      { ...fixture('task-running-fargate-docs-2025'), detail: 'not an object' },
      { ...fixture('deployment-completed-docs'), 'detail-type': 'ECS Something New' },
    ];
    writeFileSync(join(dir, 'calls.jsonl'), jsonLines([...apiCalls(), ...malformed]));
    const config = join(scratch(), 'harbormaster.json');
    writeFileSync(config, JSON.stringify({ policies: [HARDENED] }));
    // describe-services for default/servicetest, the service the docs' service events name
    const state = join(scratch(), 'services.json');
    writeFileSync(state, JSON.stringify(await incidentState()));
    const names = fixtureNames();
    // Act
    const { code, entries } = await replay(FIXTURES, dir, '--config', config, '--state', state);
    // Assess
    expect(code).toBe(0);
    expect(entries).toHaveLength(names.length + 6);
    const byName = (name: string) =>
      entries.find((e) => e.source?.file === join(FIXTURES, `${name}.json`));
    const calls = (line: number) =>
      entries.find((e) => e.source?.file === join(dir, 'calls.jsonl') && e.source.line === line);
    // The raw CloudTrail record is not an EventBridge event (SOURCES.md); the two are malformed.
    const invalid = entries.filter((e) => e.outcome === 'invalid');
    expect(invalid).toHaveLength(3);
    expect(byName('cloudtrail-record-ecs-createcluster-docs')).toMatchObject({
      outcome: 'invalid',
      reason: expect.stringContaining('detail-type'),
    });
    expect(calls(5)).toMatchObject({
      outcome: 'invalid',
      reason: expect.stringContaining('detail'),
    });
    expect(calls(6)).toMatchObject({
      outcome: 'invalid',
      reason: expect.stringContaining('detail-type'),
    });
    // A directory plays in event-time order (events without a time keep their place in the file).
    const times = entries
      .filter((e) => e.source?.file.startsWith(FIXTURES))
      .map((e) => e.event.time)
      .filter((t): t is string => t !== undefined)
      .map((t) => Date.parse(t));
    expect(times).toStrictEqual([...times].sort((a, b) => a - b));
    const decided = entries.filter((e) => e.outcome !== 'invalid');
    for (const entry of decided) {
      expect(['acted', 'ignored', 'undecided'], JSON.stringify(entry)).toContain(entry.outcome);
      expect(entry.reason.length, JSON.stringify(entry)).toBeGreaterThan(10);
    }
    // Only the trimmed captures' service, which no state file describes, is left undecided.
    expect(
      new Set(decided.filter((e) => e.outcome === 'undecided').map((e) => e.event.service)),
    ).toStrictEqual(new Set(['autoptic-test/mcp']));
    expect(byName('deployment-in-progress-TRIMMED-autoptic')?.reason).toBe(
      'no describe-services state for autoptic-test/mcp: pass --state with the output of `aws ecs describe-services --cluster autoptic-test --services mcp --include TAGS`',
    );
    expect(new Set(decided.map((e) => e.event.detailType))).toStrictEqual(
      new Set([
        'ECS Task State Change',
        'ECS Deployment State Change',
        'ECS Service Action',
        'ECS Container Instance State Change',
        'AWS API Call via CloudTrail',
        'CloudWatch Alarm State Change',
        'Scheduled Event',
      ]),
    );
    expect(byName('service-action-placement-failure-fargate-spot-docs')).toMatchObject({
      outcome: 'acted',
      decisions: [{ function: 'service-alerts', outcome: 'acted' }],
      actions: [{ function: 'service-alerts', type: 'notify', severity: 'error' }],
    });
    expect(byName('container-instance-state-change-docs')).toMatchObject({
      outcome: 'ignored',
      reason: 'no Harbormaster function acts on "ECS Container Instance State Change" events',
      decisions: [],
    });
    // A task event is decided by each function that handles task events, each with its reason.
    expect(
      byName('task-stopped-fargate-service-scalein-exit137-arkime')?.decisions.map((d) => [
        d.function,
        d.outcome,
      ]),
    ).toStrictEqual([
      ['deployment-guard', 'ignored'],
      ['policy-enforcer', 'ignored'],
      ['batch-jobs', 'ignored'],
    ]);
    expect(byName('task-stopped-fargate-service-scalein-exit137-arkime')?.reason).toMatch(
      /^deployment-guard: .*scheduler-stopped.*; policy-enforcer: .+; batch-jobs: the task was not started by Harbormaster$/,
    );
    expect([1, 2, 3, 4].map((line) => calls(line)?.reason)).toStrictEqual([
      'task definition web:7 complies with hardened',
      'no ecs-service policy is configured',
      'no ecs-service policy is configured',
      'RunTask started no task',
    ]);
  });

  it('reads revisions from describe-task-definition output given as state', async () => {
    // Prepare: a task of web:41 starts; the recording does not hold its registration
    const dir = scratch();
    const arn = revisionArn('web', 41);
    writeFileSync(join(dir, 'events.json'), JSON.stringify([taskStartEvent(arn)]));
    writeFileSync(
      join(dir, 'web-41.json'),
      JSON.stringify({
        taskDefinition: {
          ...withContainer({ user: 'root' }),
          taskDefinitionArn: arn,
          revision: 41,
        },
        tags: [],
      }),
    );
    writeFileSync(
      join(dir, 'harbormaster.json'),
      JSON.stringify({
        policies: [
          {
            name: 'standalone',
            resource: 'ecs-task',
            mode: 'enforce',
            filters: [{ type: 'non-root-user' }],
            actions: [{ type: 'stop' }],
          },
        ],
      }),
    );
    const config = ['--config', join(dir, 'harbormaster.json')];
    // Act
    const without = await replay(join(dir, 'events.json'), ...config);
    const withState = await replay(
      join(dir, 'events.json'),
      '--state',
      join(dir, 'web-41.json'),
      ...config,
    );
    // Assess
    expect(without.entries[0]?.decisions).toContainEqual({
      function: 'policy-enforcer',
      outcome: 'ignored',
      reason: "the task start's task definition could not be found",
    });
    expect(withState.entries[0]?.actions).toContainEqual(
      expect.objectContaining({ function: 'policy-enforcer', type: 'stop' }),
    );
  });

  it('enforces policies on a recording: a revision registered, then a task of it started, stopped', async () => {
    // Prepare
    const dir = scratch();
    const job = withContainer({ user: 'root' }, { family: 'job' });
    writeFileSync(
      join(dir, 'events.jsonl'),
      jsonLines([registerEvent(job, { revision: 7 }), taskStartEvent(revisionArn('job', 7))]),
    );
    writeFileSync(
      join(dir, 'harbormaster.json'),
      JSON.stringify({
        policies: [
          HARDENED,
          {
            name: 'standalone',
            resource: 'ecs-task',
            mode: 'enforce',
            filters: [{ type: 'non-root-user' }],
            actions: [{ type: 'stop' }],
          },
        ],
      }),
    );
    // Act
    const { entries } = await replay(
      join(dir, 'events.jsonl'),
      '--config',
      join(dir, 'harbormaster.json'),
    );
    const readable = await harbormaster(
      'replay',
      join(dir, 'events.jsonl'),
      '--config',
      join(dir, 'harbormaster.json'),
    );
    // Assess
    expect(entries.map((e) => e.outcome)).toStrictEqual(['acted', 'acted']);
    expect(entries[0]?.actions.map((a) => a.type)).toContain('tag');
    expect(entries[1]?.actions.filter((a) => a.type === 'stop')).toStrictEqual([
      expect.objectContaining({
        function: 'policy-enforcer',
        reason: 'Harbormaster policy standalone (non-root-user)',
      }),
    ]);
    expect(readable.stdout).toMatch(
      /STOP task arn:aws:ecs:\S+ \(Harbormaster policy standalone \(non-root-user\)\)/,
    );
  });
});
