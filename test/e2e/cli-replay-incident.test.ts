import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RecordedLine, readRecordedEvents } from '#apps/replay/recorded-events.ts';
import type { ReplayEntry } from '#apps/replay/replay-engine.ts';
import { runScenarios } from '#apps/replay/run-replay.ts';
import type { ReplaySummary } from '#apps/replay/summary.ts';
import { scenariosOf } from '#apps/replay/what-if.ts';
import { REPLAYABLE } from '#functions/registry.ts';
import type { Json } from '#support/events.ts';
import { NEW_ID } from '#support/guard.ts';
import {
  ALARM,
  incidentEvents,
  incidentState,
  PERSON_ID,
  writeIncident,
} from '#support/incident.ts';
import { harbormaster } from '#support/run-command.ts';

/**
 * The incident of issue 15, from real events (test/support/incident.ts): ecs-svc/123 (web:3)
 * fails load-balancer health checks, one stop is delivered twice, a person stops a task, the 5xx
 * alarm (which the service names with ECS's alarm rollback switched off) goes to ALARM, and a
 * person deploys ecs-svc/124 to get back.
 */
let state: Json;
beforeAll(async () => {
  state = await incidentState();
});

const replay = async (
  lines: readonly RecordedLine[],
  options: { state?: Json[]; set?: string[]; compare?: string[] } = {},
) => {
  const runs = await runScenarios(lines, {
    state: options.state ?? [state],
    scenarios: scenariosOf({}, 'test', options.set ?? [], options.compare ?? []),
    functions: REPLAYABLE,
    stage: undefined,
    keepEntries: true,
  });
  return runs;
};

const linesOf = (events: Json[]): RecordedLine[] => {
  const files = writeIncident(events, state);
  return readRecordedEvents([files.events]);
};

const alerts = (entries: readonly ReplayEntry[]) =>
  entries.flatMap((e) =>
    e.actions.filter((a) => a.type === 'notify').map((a) => `${String(a.title)}: ${a.detail}`),
  );

const deploymentOf = (summary: ReplaySummary | undefined, id: string) =>
  summary?.services[0]?.deployments.find((d) => d.deploymentId === id);

describe('harbormaster replay on a real incident stream', () => {
  it('without state for the service, says so for every event that needs it and decides nothing from an empty world', async () => {
    // Act
    const [run] = await replay(linesOf(incidentEvents()), { state: [] });
    // Assess
    const guard = run?.entries
      .flatMap((e) => e.decisions)
      .filter((d) => d.function === 'deployment-guard');
    expect(new Set(guard?.map((d) => d.outcome))).toStrictEqual(new Set(['undecided', 'ignored']));
    expect(guard?.find((d) => d.outcome === 'undecided')?.reason).toMatch(
      /^no describe-services state for default\/servicetest: pass --state/,
    );
    const text = JSON.stringify(run?.entries);
    expect(text).not.toContain('first deployment of the service');
    expect(text).not.toContain('as missing');
    expect(run?.entries.flatMap((e) => e.actions)).toStrictEqual([]);
    expect(run?.summary.missingState).toHaveLength(1);
  });

  it('counts a redelivered stop once, as production does: it prints no second alert', async () => {
    // Act
    const [run] = await replay(linesOf(incidentEvents()));
    // Assess
    const [first, again] = (run?.entries ?? []).filter(
      (e) => e.source?.line === 2 || e.source?.line === 3,
    );
    expect(alerts(first ? [first] : [])).toStrictEqual([
      'default/servicetest deployment failing: 1 task failed: sns: sent',
    ]);
    // The guard's tally has the task already: nothing to count, nothing to send.
    expect(again?.decisions.find((d) => d.function === 'deployment-guard')?.reason).toMatch(
      /^the task is already counted against deployment/,
    );
    expect(alerts(again ? [again] : [])).toStrictEqual([]);
    expect(deploymentOf(run?.summary, NEW_ID)?.alerts).toStrictEqual({ sent: 3, duplicates: 1 });
  });

  it('moves the replayed world forward after its own rollback: later failures of the rolled-back deployment raise nothing', async () => {
    // Act
    const [run] = await replay(linesOf(incidentEvents()));
    // Assess: the third health-check kill rolls back to web:2; the fourth finds the rollback done
    const entries = run?.entries ?? [];
    const rollback = entries.find((e) => e.actions.some((a) => a.type === 'rollback'));
    expect(rollback?.source?.line).toBe(6);
    expect(rollback?.actions.find((a) => a.type === 'rollback')).toMatchObject({
      taskDefinition: expect.stringMatching(/task-definition\/web:2$/),
      trigger: 'failed-tasks',
    });
    const later = entries.find((e) => e.source?.line === 8);
    expect(later?.actions).toStrictEqual([]);
    expect(later?.decisions.find((d) => d.function === 'deployment-guard')?.reason).toBe(
      `the rollback of deployment ${NEW_ID} is done: nothing more to count`,
    );
    expect(deploymentOf(run?.summary, NEW_ID)?.firstAction).toMatchObject({
      kind: 'rolled-back',
      at: '2020-05-23T11:05:00Z',
      trigger: 'failed-tasks',
      failedTasksBefore: 3,
    });
  });

  it('does not watch the service\u2019s alarm while its ECS alarm rollback is off; watched from the configuration, it rolls back and says where the alarm came from', async () => {
    // Act
    const [off, named] = await replay(linesOf(incidentEvents()), {
      set: ['deploymentGuard.failedTasks.count=5'],
      compare: [`deploymentGuard.alarms.names=[${ALARM}]`],
    });
    // Assess
    const alarmEntry = (run: typeof off) => run?.entries.find((e) => e.source?.line === 7);
    expect(alarmEntry(off)?.reason).toBe(`no deployment watches ${ALARM}`);
    const rollback = alarmEntry(named)?.actions.find(
      (a) => a.type === 'notify' && a.event === 'rolled-back',
    );
    expect(rollback?.reason).toMatch(
      new RegExp(
        `^${ALARM} \\(from harbormaster.yml\\) went to ALARM during the deployment: Threshold Crossed`,
      ),
    );
    expect(deploymentOf(named?.summary, NEW_ID)?.firstAction).toMatchObject({
      kind: 'rolled-back',
      trigger: 'alarm',
      at: '2020-05-23T11:06:00Z',
    });
  });

  it('compares settings side by side, with what ECS\u2019s circuit breaker would have done at its documented threshold', async () => {
    // Act
    const runs = await replay(linesOf(incidentEvents()), {
      compare: ['deploymentGuard.failedTasks.count=2', 'deploymentGuard.failedTasks.count=10'],
    });
    // Assess
    expect(
      runs.map((r) => [r.name, deploymentOf(r.summary, NEW_ID)?.firstAction?.at]),
    ).toStrictEqual([
      ['as configured', '2020-05-23T11:05:00Z'],
      ['deploymentGuard.failedTasks.count=2', '2020-05-23T11:04:00Z'],
      ['deploymentGuard.failedTasks.count=10', undefined],
    ]);
    // 8 desired: max(3, min(200, ceil(8 / 2))) = 4; the user stop counts for nothing.
    expect(deploymentOf(runs[0]?.summary, NEW_ID)?.breaker).toMatchObject({
      threshold: 4,
      formula: 'max(3, min(200, ceil(8 × 50%))) = 4',
      enabled: false,
      tripsAt: '2020-05-23T11:07:00Z',
      counted: 4,
    });
    // Without a rollback by Harbormaster, the person's deployment supersedes the failing one.
    expect(deploymentOf(runs[2]?.summary, PERSON_ID)).toMatchObject({ recorded: 'COMPLETED' });
  });

  it('reports what did not happen in the replayed world: ECS finishing a deployment the replay rolled back', async () => {
    // Prepare: the recording goes on as live went (ECS completes ecs-svc/123 after all)
    const events = incidentEvents().slice(0, 6);
    const completed = { ...(incidentEvents()[9] as Json) };
    completed.detail = { ...(completed.detail as Json), deploymentId: NEW_ID };
    // Act
    const [run] = await replay(linesOf([...events, completed]));
    // Assess
    const last = run?.entries.at(-1);
    expect(last).toMatchObject({ outcome: 'ignored', decisions: [], actions: [] });
    expect(last?.reason).toMatch(
      /^the replay rolled default\/servicetest back at 2020-05-23T11:05:00.000Z/,
    );
    expect(run?.summary.diverged).toBe(1);
  });

  it('reads a directory in event-time order, names every event by file and line, and reports a malformed line without stopping', async () => {
    // Prepare: the incident split in two files whose name order is not time order, one bad line
    const events = incidentEvents();
    const dir = mkdtempSync(join(tmpdir(), 'hm-incident-dir-'));
    const jsonl = (list: Json[]) => list.map((e) => JSON.stringify(e)).join('\n');
    writeFileSync(join(dir, 'events-10.jsonl'), `${jsonl(events.slice(5))}\n`);
    writeFileSync(
      join(dir, 'events-9.jsonl'),
      `${jsonl(events.slice(0, 5))}\n{"detail-type": "ECS Task\n`,
    );
    // Act
    const lines = readRecordedEvents([dir]);
    const [run] = await replay(lines);
    // Assess
    expect(
      lines.map((l) => `${l.source.file.slice(dir.length + 1)}:${l.source.line}`),
    ).toStrictEqual([
      'events-9.jsonl:1',
      'events-9.jsonl:2',
      'events-9.jsonl:3',
      'events-9.jsonl:4',
      'events-9.jsonl:5',
      'events-9.jsonl:6',
      'events-10.jsonl:1',
      'events-10.jsonl:2',
      'events-10.jsonl:3',
      'events-10.jsonl:4',
      'events-10.jsonl:5',
    ]);
    const bad = run?.entries.find((e) => e.outcome === 'invalid');
    expect(bad?.source).toStrictEqual({ file: join(dir, 'events-9.jsonl'), line: 6 });
    expect(bad?.reason).toMatch(/^not JSON/);
    expect(deploymentOf(run?.summary, NEW_ID)?.firstAction?.at).toBe('2020-05-23T11:05:00Z');
  });
});

describe('harbormaster replay on the command line', () => {
  it('refuses a --state file that is not describe-services or describe-task-definition output, saying what it looks like', async () => {
    // Prepare
    const files = writeIncident(incidentEvents(), state);
    const empty = join(files.dir, 'empty.json');
    writeFileSync(empty, '{}');
    // Act
    const result = await harbormaster('replay', files.events, '--state', empty);
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${empty} is not a state file a replay can use: it looks like an empty JSON object ({})`,
    );
    expect(result.stdout).toBe('');
  });

  it('stops at a malformed line with --strict, naming file and line; prints a readable what-if otherwise', async () => {
    // Prepare
    const files = writeIncident(incidentEvents(), state);
    writeFileSync(files.events, `${JSON.stringify(incidentEvents()[0])}\nnot json\n`, {
      flag: 'w',
    });
    const good = writeIncident(incidentEvents(), state);
    // Act
    const strict = await harbormaster('replay', files.events, '--state', files.state, '--strict');
    const whatIf = await harbormaster(
      'replay',
      good.events,
      '--state',
      good.state,
      '--set',
      'deploymentGuard.failedTasks.count=5',
      '--compare',
      `deploymentGuard.alarms.names=[${ALARM}]`,
    );
    // Assess
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(`${files.events}:2: not JSON`);
    expect(strict.stdout).toBe('');
    expect(whatIf.code).toBe(0);
    expect(whatIf.stdout).toContain(
      `${good.events}:1  ECS Deployment State Change SERVICE_DEPLOYMENT_IN_PROGRESS default/servicetest ${NEW_ID}`,
    );
    expect(whatIf.stdout).toContain(
      `not watching ${ALARM}: the service's deploymentConfiguration.alarms has enable false`,
    );
    expect(whatIf.stdout).toContain(
      'What-if: the first action per deployment under each setting\ndefault/servicetest ecs-svc/123\n  deploymentGuard.failedTasks.count=5: no rollback; 2 alerts sent\n',
    );
    expect(whatIf.stdout).toContain(
      `  deploymentGuard.alarms.names=[${ALARM}]: rolled back at 2020-05-23T11:06:00Z by alarm, after 3 failed tasks`,
    );
    expect(whatIf.stdout).toContain(
      '  ECS circuit breaker: fails it at 2020-05-23T11:07:00Z (4 of 4)',
    );
  });
});
