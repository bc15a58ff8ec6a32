import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../infra/local-aws/demo/timeline.ts';
import { runScript } from '../support/run-command.ts';

const demo = async (...args: string[]) => {
  const result = await runScript('infra/local-aws/demo/start.ts', ['--json', ...args]);
  const entries = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as TimelineEntry);
  return { ...result, entries };
};

const texts = (entries: TimelineEntry[], source: TimelineEntry['source']) =>
  entries.filter((e) => e.source === source).map((e) => e.text);

describe('npm start (the local demo)', () => {
  it('lists its scenarios', async () => {
    // Act
    const result = await runScript('infra/local-aws/demo/start.ts', ['--list']);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^deployment\s+A deployment, alerted from start to finish$/m);
  });

  it('plays every scenario with duplicated and reordered delivery, alerting each occurrence once, and exits 0', async () => {
    // Act
    const { code, entries } = await demo();
    // Assess
    expect(code).toBe(0);
    // Reordered delivery may swap "failed" and "rolling back"; each is still alerted exactly once.
    expect(texts(entries, 'sns').sort()).toStrictEqual(
      [
        'Subject: [INFO] prod/payments deployment started',
        'Subject: [INFO] prod/payments deployment completed',
        'Subject: [ERROR] staging/worker cannot place tasks (RESOURCE:FARGATE)',
        'Subject: [INFO] prod/web deployment started',
        'Subject: [ERROR] prod/web deployment failed',
        'Subject: [WARNING] prod/web ECS is rolling back a failed deployment',
        'Subject: [INFO] prod/web deployment completed',
        'Subject: [INFO] Batch job nightly-report succeeded: 10 of 10 tasks',
      ].sort(),
    );
    expect(texts(entries, 'slack')).toHaveLength(8);
    expect(texts(entries, 'harbormaster').some((t) => t.includes('sns: duplicate'))).toBe(true);
  });

  it('plays a scheduled batch run whose failing shard is retried, then summarised once', async () => {
    // Act
    const { code, entries } = await demo('--scenario', 'batch');
    // Assess
    expect(code).toBe(0);
    expect(texts(entries, 'scheduler')).toStrictEqual([
      'schedule nightly-report fired (scheduled time 2026-11-21T11:00:00Z)',
    ]);
    const ecs = texts(entries, 'ecs');
    expect(
      ecs.filter((t) => t.includes('STOPPED: crashed') && t.includes('[app exit 3]')),
    ).toHaveLength(1);
    expect(
      ecs.filter((t) => t.includes('STOPPED: exited') && t.includes('[app exit 0]')),
    ).toHaveLength(10);
    const harbormaster = texts(entries, 'harbormaster');
    expect(harbormaster.some((t) => t.includes('starts 10 task(s)'))).toBe(true);
    expect(harbormaster.some((t) => t.includes('1 RunTask call(s), 1 task(s) launched'))).toBe(
      true,
    );
    expect(texts(entries, 'sns')).toStrictEqual([
      'Subject: [INFO] Batch job nightly-report succeeded: 10 of 10 tasks',
    ]);
    const slack = entries.filter((e) => e.source === 'slack');
    expect(slack).toHaveLength(1);
    expect(slack[0]?.details.join('\n')).toContain('Retried: 1 \u00d7 app exited 3');
  });

  it('plays one chosen scenario with exactly-once delivery', async () => {
    // Act
    const { code, entries } = await demo('--scenario', 'placement-failure', '--no-chaos');
    // Assess
    expect(code).toBe(0);
    expect(texts(entries, 'scenario')).toStrictEqual(['Tasks that cannot be placed']);
    expect(texts(entries, 'sns')).toStrictEqual([
      'Subject: [ERROR] staging/worker cannot place tasks (RESOURCE:FARGATE)',
    ]);
  });
});
