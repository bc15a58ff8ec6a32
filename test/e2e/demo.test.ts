import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '#apps/local/demo/timeline.ts';
import { runScript } from '#support/run-command.ts';

const demo = async (...args: string[]) => {
  const result = await runScript('apps/local/demo/start.ts', ['--json', ...args]);
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
    const result = await runScript('apps/local/demo/start.ts', ['--list']);
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
    const taskIds = (text: string) => text.replace(/task [0-9a-f]{12}/, 'task <id>');
    expect(texts(entries, 'sns').map(taskIds).sort()).toStrictEqual(
      [
        'Subject: [INFO] prod/payments deployment started',
        'Subject: [INFO] prod/payments deployment completed',
        'Subject: [ERROR] staging/worker cannot place tasks (RESOURCE:FARGATE)',
        'Subject: [INFO] prod/web deployment started',
        'Subject: [WARNING] prod/web cannot consistently start tasks',
        'Subject: [WARNING] prod/web deployment failing: 1 task failed',
        'Subject: [ERROR] prod/web deployment failed',
        'Subject: [WARNING] prod/web ECS is rolling back a failed deployment',
        'Subject: [INFO] prod/web rollback completed: back on web:2',
        'Subject: [INFO] prod/payments deployment started',
        'Subject: [WARNING] prod/payments deployment failing: 1 task failed',
        'Subject: [ERROR] prod/payments rolled back to payments:2 (failed tasks)',
        'Subject: [INFO] prod/payments rollback completed: back on payments:2',
        'Subject: [CRITICAL] task definition checkout:1 violates policy hardened-images (image-pinned, no-plaintext...',
        'Subject: [ERROR] task <id> of nightly-report:1 in prod violates policy batch-jobs (non-root-user)',
        'Subject: [INFO] Batch job nightly-report succeeded: 10 of 10 tasks',
      ].sort(),
    );
    expect(texts(entries, 'slack')).toHaveLength(16);
    expect(texts(entries, 'harbormaster').some((t) => t.includes('sns: duplicate'))).toBe(true);
  });

  it('plays the guard scenario: tasks that start and crash are rolled back after the third failure, in one thread', async () => {
    // Act
    const { code, entries } = await demo('--scenario', 'guard-rollback', '--in-order');
    // Assess
    expect(code).toBe(0);
    expect(texts(entries, 'sns')).toStrictEqual([
      'Subject: [INFO] prod/payments deployment started',
      'Subject: [WARNING] prod/payments deployment failing: 1 task failed',
      'Subject: [ERROR] prod/payments rolled back to payments:1 (failed tasks)',
      'Subject: [INFO] prod/payments rollback completed: back on payments:1',
    ]);
    const threads = entries
      .filter((e) => e.source === 'sns')
      .map((e) => /\(thread ([^)]+)\)/.exec(e.details[0] ?? '')?.[1]);
    expect(new Set(threads).size).toBe(1);
    expect(texts(entries, 'harbormaster')).toContainEqual(
      expect.stringMatching(
        /^deployment-guard: acted \u2014 failed-tasks fired; rolling back to payments:1 /,
      ),
    );
  });

  it('plays the policies scenario: the revision tagged and deregistered, the job stopped naming the rule, the key never shown', async () => {
    // Act
    const { code, entries, stdout } = await demo('--scenario', 'policies', '--in-order');
    // Assess
    expect(code).toBe(0);
    const harbormaster = texts(entries, 'harbormaster').join('\n');
    expect(harbormaster).toContain('tag: tagged harbormaster:non-compliant');
    expect(harbormaster).toContain('deregister: revision deregistered');
    expect(harbormaster).toContain('stop: task stopping');
    expect(texts(entries, 'ecs')).toContainEqual(
      expect.stringMatching(
        /^prod nightly-report: task [0-9a-f]{8} \(nightly-report:1\) STOPPED: user-stopped \u2014 Harbormaster policy batch-jobs \(non-root-user\)/,
      ),
    );
    expect(stdout).toContain('PAYMENTS_API_KEY');
    expect(stdout).not.toContain(['sk', 'live', '51DemoKey0000000000'].join('_'));
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

  it('plays one chosen scenario with exactly-once delivery, paced in real time when asked', async () => {
    // Act
    const { code, entries } = await demo(
      '--scenario',
      'placement-failure',
      '--in-order',
      '--speed',
      '20000',
    );
    // Assess
    expect(code).toBe(0);
    expect(texts(entries, 'scenario')).toStrictEqual(['Tasks that cannot be placed']);
    expect(texts(entries, 'sns')).toStrictEqual([
      'Subject: [ERROR] staging/worker cannot place tasks (RESOURCE:FARGATE)',
    ]);
  });
});
