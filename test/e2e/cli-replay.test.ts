import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { type BehaviorSpec, type LocalAws, startLocalAws } from '@harbormaster/local-aws';
import { ecsClient } from '@harbormaster/local-aws/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplaySummary } from '#apps/replay/summary.ts';
import { createService, registerRevision } from '#support/local-services.ts';
import { harbormaster } from '#support/run-command.ts';

let local: LocalAws | undefined;
afterEach(async () => local?.close());

/**
 * Records an incident on the embedded endpoint (no Harbormaster running): the service's
 * DescribeServices output before it, then every event ECS emitted while v2 was deployed.
 */
const record = async (
  behavior: BehaviorSpec,
  options: { minutes?: number; sweep?: boolean; tags?: Record<string, string> } = {},
) => {
  local = await startLocalAws({ now: new Date('2026-11-21T09:00:00Z') });
  const { taskDefinition: v1 } = createService(local, { desiredCount: 2 });
  if (options.tags) {
    local.ecs.call('TagResource', {
      resourceArn: local.ecs.service('prod', 'web')?.arn,
      tags: Object.entries(options.tags).map(([key, value]) => ({ key, value })),
    });
  }
  await local.clock.advance(5 * 60_000);
  const ecs = ecsClient(local, { maxAttempts: 3 });
  // What `aws ecs describe-services --cluster prod --services web --include TAGS` prints.
  const state = await ecs.send(
    new DescribeServicesCommand({ cluster: 'prod', services: ['web'], include: ['TAGS'] }),
  );
  const { $metadata: _metadata, ...output } = state;
  // An archive of the guard's input includes its one-minute schedule's events.
  if (options.sweep)
    local.schedules.add('harbormaster-prod-deployment-guard-sweep', 'rate(1 minute)');
  const from = local.events.length;
  const v2 = registerRevision(local, 'web', 'public.ecr.aws/nginx/nginx:1.28');
  local.ecs.setBehavior(v2, behavior);
  local.ecs.call('UpdateService', { cluster: 'prod', service: 'web', taskDefinition: v2 });
  await local.clock.advance((options.minutes ?? 15) * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'hm-replay-'));
  const files = { events: join(dir, 'events.json'), state: join(dir, 'state.json'), dir };
  writeFileSync(files.events, JSON.stringify(local.events.slice(from), null, 2));
  writeFileSync(files.state, JSON.stringify(output, null, 2));
  return { v1, v2, files, events: local.events.slice(from) };
};

type Entry = {
  synthetic?: string;
  source?: { file: string; line: number };
  outcome: string;
  reason: string;
  event: { detailType: string; time?: string };
  actions: {
    type: string;
    cluster?: string;
    service?: string;
    taskDefinition?: string;
    trigger?: string;
  }[];
};

const replay = async (...args: string[]) => {
  const result = await harbormaster('replay', ...args, '--json');
  const objects = result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Entry & { summary?: ReplaySummary });
  return {
    ...result,
    entries: objects.filter((o) => !o.summary),
    summaries: objects.flatMap((o) => (o.summary ? [o.summary] : [])),
  };
};

const rollbacks = (entries: Entry[]) =>
  entries.flatMap((e) => e.actions.filter((a) => a.type.includes('rollback')));

describe('CLI: harbormaster replay', () => {
  it('decides on a recorded crash loop offline: one JSON object per event, one rollback to the last completed task definition', async () => {
    // Prepare
    const { v1, files, events } = await record({ kind: 'crash', afterMs: 5_000, exitCode: 3 });
    // Act
    const { code, entries } = await replay(files.events, '--state', files.state);
    // Assess
    expect(code).toBe(0);
    expect(entries).toHaveLength(events.length);
    for (const entry of entries) expect(['acted', 'ignored', 'invalid']).toContain(entry.outcome);
    expect(rollbacks(entries)).toStrictEqual([
      expect.objectContaining({
        type: 'rollback',
        cluster: 'prod',
        service: 'web',
        taskDefinition: v1,
        trigger: 'failed-tasks',
      }),
    ]);
    const acted = entries.find((e) => rollbacks([e]).length > 0);
    expect(acted).toMatchObject({
      outcome: 'acted',
      event: { detailType: 'ECS Task State Change' },
    });
    expect(acted?.reason).toContain('failed-tasks fired; rolling back to web:1');
  });

  it('counts failures from the recording alone, each once, even when events are duplicated and reordered', async () => {
    // Prepare
    const { v1, files, events } = await record({
      kind: 'health-check-failure',
      afterMs: 20_000,
      check: 'elb',
    });
    const shuffled = [
      ...events.slice(0, 3),
      ...events.slice(3).flatMap((e, i) => (i % 3 === 0 ? [e, e] : [e])),
    ];
    // Swap neighbours here and there: EventBridge does not promise order.
    for (let i = 5; i + 1 < shuffled.length; i += 7)
      shuffled.splice(
        i,
        2,
        shuffled[i + 1] as (typeof shuffled)[number],
        shuffled[i] as (typeof shuffled)[number],
      );
    writeFileSync(files.events, shuffled.map((e) => JSON.stringify(e)).join('\n'));
    // Act: JSON Lines this time
    const { entries } = await replay(files.events, '--state', files.state);
    // Assess
    expect(entries).toHaveLength(shuffled.length);
    expect(rollbacks(entries).map((r) => r.taskDefinition)).toStrictEqual([v1]);
  });

  it('rolls back at the deadline when the recording includes the guard\u2019s one-minute schedule', async () => {
    // Prepare: tasks that run but never pass health checks, and a 10-minute deadline tag
    const { v1, files } = await record(
      { kind: 'health-check-failure', afterMs: 3 * 60 * 60_000, check: 'elb' },
      { sweep: true, minutes: 12, tags: { 'harbormaster:guard:deadline': '10' } },
    );
    // Act
    const { entries } = await replay(files.events, '--state', files.state);
    // Assess
    expect(rollbacks(entries)).toStrictEqual([
      expect.objectContaining({ taskDefinition: v1, trigger: 'deadline' }),
    ]);
    expect(entries.find((e) => rollbacks([e]).length > 0)?.event.detailType).toBe(
      'Scheduled Event',
    );
  });

  it('runs the guard’s one-minute sweep itself when the recording lacks it, so a deadline still falls due', async () => {
    // Prepare: the same incident, recorded without the schedule's events (an ECS-only archive)
    const { v1, files, events } = await record(
      { kind: 'health-check-failure', afterMs: 3 * 60 * 60_000, check: 'elb' },
      { minutes: 12, tags: { 'harbormaster:guard:deadline': '10' } },
    );
    expect(events.some((e) => e['detail-type'] === 'Scheduled Event')).toBe(false);
    // Act: the recording's last event is minutes before the deadline
    const ended = await replay(files.events, '--state', files.state);
    const { entries } = await replay(
      files.events,
      '--state',
      files.state,
      '--until',
      '2026-11-21T09:17:00Z',
    );
    // Assess: without --until the replay says what is still due; with it, the sweep rolls back
    expect(rollbacks(ended.entries)).toStrictEqual([]);
    expect(ended.summaries[0]?.stillWatched).toStrictEqual([
      expect.objectContaining({ what: 'deadline', dueAt: '2026-11-21T09:15:00.000Z' }),
    ]);
    const acted = entries.find((e) => rollbacks([e]).length > 0);
    expect(rollbacks(entries)).toStrictEqual([
      expect.objectContaining({ taskDefinition: v1, trigger: 'deadline' }),
    ]);
    expect(acted).toMatchObject({
      synthetic: "the guard's one-minute schedule (not in the recording)",
      event: { detailType: 'Scheduled Event', time: '2026-11-21T09:15:00.000Z' },
    });
  });

  it('reports an event it cannot read as invalid and an event no function handles as ignored', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'hm-replay-'));
    const file = join(dir, 'events.json');
    const { fixture } = await import('#support/events.ts');
    writeFileSync(
      file,
      JSON.stringify([
        { 'detail-type': 'ECS Task State Change', source: 'aws.ecs', detail: 'x' },
        fixture('container-instance-state-change-docs'),
      ]),
    );
    // Act
    const { code, entries } = await replay(file);
    // Assess
    expect(code).toBe(0);
    expect(entries.map((e) => e.outcome)).toStrictEqual(['invalid', 'ignored']);
    expect(entries[0]?.reason).toContain('detail');
    expect(entries[0]?.source).toStrictEqual({ file, line: 1 });
    expect(entries[1]?.reason).toBe(
      'no Harbormaster function acts on "ECS Container Instance State Change" events',
    );
  });

  it('prints a readable line per event without --json, and exits 2 on a missing file', async () => {
    // Prepare
    const { files } = await record({ kind: 'crash', afterMs: 5_000 });
    // Act
    const readable = await harbormaster('replay', files.events, '--state', files.state);
    const missing = await harbormaster('replay', join(files.dir, 'nope.json'));
    // Assess
    expect(readable.code).toBe(0);
    expect(readable.stdout).toMatch(
      /events\.json:\d+ {2}ECS Task State Change STOPPED prod\/web task \w+ \(crashed\)\n {4}acted: failed-tasks fired; rolling back to web:1\n {4}alert "prod\/web deployment failing: \d tasks failed": duplicate, not sent again \(sns\)\n {4}ROLLBACK prod\/web from web:2 to web:1 \(failed-tasks\): UpdateService to web:1: deployment ecs-svc\/replayed-rollback-1\n {4}alert "prod\/web rolled back to web:1 \(failed tasks\)": sent \(sns\)/,
    );
    expect(readable.stdout).toContain('events no function acted on: --all shows them');
    expect(readable.stdout).toContain(
      'Harbormaster: rolled back at 2026-11-21T09:06:20Z by failed-tasks, after 3 failed tasks',
    );
    expect(missing.code).toBe(2);
  });
});
