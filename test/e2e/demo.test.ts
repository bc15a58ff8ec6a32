import { beforeAll, describe, expect, it } from 'vitest';
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
        ...['storefront', 'search', 'api', 'reports'].flatMap((service) => [
          `Subject: [INFO] prod/${service} deployment started`,
          `Subject: [INFO] prod/${service} deployment completed`,
          `Subject: [INFO] prod/${service} deployment started`,
        ]),
        'Subject: [INFO] prod/storefront policy gate passed (PRE_SCALE_UP)',
        'Subject: [INFO] prod/storefront analysis gate passed (POST_TEST_TRAFFIC_SHIFT at 0% of production)',
        'Subject: [ERROR] prod/storefront analysis gate failed: ECS rolls back (PRE_PRODUCTION_TRAFFIC_SHIFT at 10%...',
        'Subject: [WARNING] prod/storefront ECS is rolling back a failed deployment',
        'Subject: [INFO] prod/storefront rollback completed: back on storefront:1',
        'Subject: [ERROR] prod/search policy gate failed: ECS rolls back (PRE_SCALE_UP)',
        'Subject: [WARNING] prod/search ECS is rolling back a failed deployment',
        'Subject: [INFO] prod/search rollback completed: back on search:1',
        'Subject: [INFO] prod/api policy gate passed (PRE_SCALE_UP)',
        'Subject: [WARNING] prod/api deployment paused: approval needed',
        'Subject: [INFO] prod/api analysis gate passed (POST_TEST_TRAFFIC_SHIFT at 0% of production)',
        'Subject: [INFO] prod/api deployment approved: continuing',
        ...[25, 50, 75].map(
          (share) =>
            `Subject: [INFO] prod/api analysis gate passed (PRE_PRODUCTION_TRAFFIC_SHIFT at ${share}% of production)`,
        ),
        'Subject: [INFO] prod/api deployment completed',
        'Subject: [INFO] prod/reports policy gate passed (PRE_SCALE_UP)',
        'Subject: [WARNING] prod/reports analysis gate inconclusive (POST_TEST_TRAFFIC_SHIFT at 0% of production)',
        'Subject: [INFO] prod/reports deployment completed',
      ].sort(),
    );
    expect(texts(entries, 'slack')).toHaveLength(47);
    expect(texts(entries, 'harbormaster').some((t) => t.includes('sns: duplicate'))).toBe(true);
    // Every scenario in one process: about ten seconds alone, more on a busy machine.
  }, 90_000);

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
    // The job's schedule, and one-time wake-ups (<function>-<minute>[-<key>]) when something is due.
    const wakeup = /^schedule (batch-jobs|deployment-guard)-\d{8}T\d{4}(-[0-9a-f]{8})? fired/;
    const scheduler = texts(entries, 'scheduler');
    expect(scheduler.filter((t) => !wakeup.test(t))).toStrictEqual([
      'schedule nightly-report fired (scheduled time 2026-11-21T11:00:00Z)',
    ]);
    expect(scheduler.some((t) => t.startsWith('schedule batch-jobs-'))).toBe(true);
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

describe('npm start: progressive delivery (lifecycle hooks on the embedded ECS)', () => {
  let played: Awaited<ReturnType<typeof demo>>;
  const notes = () => texts(played.entries, 'scenario');
  const slackOf = (title: string) =>
    played.entries.find((e) => e.source === 'slack' && e.text.includes(title))?.details ?? [];

  beforeAll(async () => {
    played = await demo(
      '--scenario',
      'canary-analysis',
      'policy-gate',
      'linear-approval',
      'quiet-analysis',
      '--in-order',
    );
  });

  it('exits 0', () => {
    // Assess
    expect(played.code).toBe(0);
  });

  it('rolls a failing canary back at its first measurement, green never above the canary share', () => {
    // Assess
    expect(notes()).toContain(
      'prod/storefront: deployment ROLLBACK_SUCCESSFUL; green never had more than 10 % of production traffic',
    );
    const failed = slackOf('prod/storefront analysis gate failed');
    expect(failed.join('\n')).toMatch(
      /error-rate \(HTTP 5xx rate, fails when result - baseline > 1, at least 50 requests\): failed: 0 successful, 1 failed \(limit 0\)/,
    );
    expect(failed.join('\n')).toMatch(
      /green 1[12]\.\d\d% \(\d+ req\) vs blue 0\.00% \(\d+ req\): failed/,
    );
    expect(texts(played.entries, 'harbormaster')).toContainEqual(
      expect.stringMatching(
        /^deployment-hooks: answered FAILED \u2014 analysis at 10% of production failed/,
      ),
    );
  });

  it('refuses a non-compliant revision at PRE_SCALE_UP before any green task starts', () => {
    // Assess
    expect(notes()).toContain(
      'prod/search: deployment ROLLBACK_SUCCESSFUL; green tasks ever started: 0',
    );
    expect(slackOf('prod/search policy gate failed').join('\n')).toContain(
      'no-plaintext-secrets: container app: environment variable DB_PASSWORD',
    );
    expect(played.stdout).not.toContain('hunter2');
  });

  it('pauses a linear deployment for approval, continues it with the hook id, and judges every step', () => {
    // Assess
    expect(notes()).toContainEqual(
      expect.stringMatching(
        /^harbormaster approve prod\/api: CONTINUE sent to hook ecs-pause-\S+ at POST_TEST_TRAFFIC_SHIFT$/,
      ),
    );
    expect(notes()).toContain('prod/api: deployment SUCCESSFUL');
    const paused = slackOf('prod/api deployment paused: approval needed').join('\n');
    expect(paused).toMatch(/harbormaster approve '\S+' --hook-id 'ecs-pause-\S+'/);
    expect(
      texts(played.entries, 'slack').filter((t) =>
        /prod\/api analysis gate passed \(PRE_PRODUCTION_TRAFFIC_SHIFT at (25|50|75)% of production\)/.test(
          t,
        ),
      ),
    ).toHaveLength(3);
  });

  it('warns that a quiet service\u2019s analysis is inconclusive, and why, and lets it go on', () => {
    // Assess
    expect(notes()).toContain('prod/reports: deployment SUCCESSFUL');
    const warning = slackOf('prod/reports analysis gate inconclusive').join('\n');
    expect(warning).toContain('fewer than the 50 a measurement needs');
    expect(warning).toContain('lower minRequests for a quiet service');
  });
});
