/// <reference lib="dom" />
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '#support/events.ts';
import { ALARM, incidentEvents, incidentState, writeIncident } from '#support/incident.ts';
import { harbormaster } from '#support/run-command.ts';

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it). */
const CHROMIUM = '/usr/bin/chromium';
const HOSTILE = '</script><script>window.injected = true</script><b>bold</b>';

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => browser?.close());

describe('harbormaster replay --report: one self-contained page, rendered in Chromium', () => {
  it('shows per service a timeline of ECS events, decisions and alerts, each setting\u2019s moment and the breaker\u2019s, and draws the chart without the network', async () => {
    // Prepare: the incident, with text from an event that tries to break out of the page
    const events = incidentEvents();
    const alarm = events[6] as Json;
    const detail = alarm.detail as Json;
    alarm.detail = { ...detail, state: { ...(detail.state as Json), reason: HOSTILE } };
    const files = writeIncident(events, await incidentState());
    const report = join(files.dir, 'report.html');
    const result = await harbormaster(
      'replay',
      files.events,
      '--state',
      files.state,
      '--compare',
      'deploymentGuard.failedTasks.count=2',
      '--compare',
      `deploymentGuard.failedTasks.count=5 deploymentGuard.alarms.names=[${ALARM}]`,
      '--report',
      report,
    );
    expect(result.code).toBe(0);
    const page = await browser.newPage();
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.request().url().startsWith('file:') ? route.continue() : route.abort();
    });
    // Act
    await page.goto(`file://${report}`);
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    // Assess: nothing but the file itself was requested
    expect(requests).toStrictEqual([`file://${report}`]);
    expect(await page.textContent('h1')).toBe('Harbormaster replay report');
    const whatIf = await page.$$eval('#what-if tbody tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    const row = whatIf.find((cells) => cells[1] === 'ecs-svc/123') ?? [];
    expect(row[2]).toMatch(
      /^rolled-back at 2020-05-23T11:05:00Z \(failed-tasks\), after 3 failed tasks/,
    );
    expect(row[3]).toMatch(
      /^rolled-back at 2020-05-23T11:04:00Z \(failed-tasks\), after 2 failed tasks/,
    );
    expect(row[4]).toMatch(/^rolled-back at 2020-05-23T11:06:00Z \(alarm\), after 3 failed tasks/);
    expect(row[5]).toMatch(
      /^fails it at 2020-05-23T11:07:00Z \(4 counted, threshold max\(3, min\(200, ceil\(8 × 50%\)\)\) = 4\)/,
    );
    // The timeline: ECS events with file and line, Harbormaster's alerts, what-if and breaker rows
    const timeline = await page.$$eval(
      'section[data-service="default/servicetest"] table.timeline tbody tr',
      (rows) => rows.map((r) => ({ kind: r.className, text: r.textContent ?? '' })),
    );
    expect(timeline.filter((r) => r.kind === 'what-if').map((r) => r.text)).toStrictEqual([
      expect.stringContaining(
        'deploymentGuard.failedTasks.count=2: rolled-back (failed-tasks) ecs-svc/123',
      ),
      expect.stringContaining('as configured: rolled-back (failed-tasks) ecs-svc/123'),
      expect.stringContaining(`[${ALARM}]: rolled-back (alarm) ecs-svc/123`),
    ]);
    expect(timeline.find((r) => r.kind === 'breaker')?.text).toContain(
      'ECS circuit breaker fails ecs-svc/123 (threshold 4)',
    );
    expect(
      timeline.some(
        // The redelivered stop: the guard's tally has its task already, so nothing is sent.
        (r) => r.text.includes(`${files.events}:3`) && r.text.includes('already counted'),
      ),
    ).toBe(true);
    // Event text is shown as text, never run as markup
    expect(await page.evaluate(() => (window as { injected?: boolean }).injected)).toBeUndefined();
    expect(await page.$$('section b')).toHaveLength(0);
    // The chart: Chart.js drew failed tasks and every moment, and the canvas is not blank
    const chart = await page.evaluate(() => {
      const canvas = document.querySelector('canvas') as HTMLCanvasElement;
      const drawn = (
        window as unknown as {
          Chart: {
            getChart(c: HTMLCanvasElement): {
              data: { datasets: { label: string; data: { x: number; y: number }[] }[] };
            };
          };
        }
      ).Chart.getChart(canvas);
      const pixels =
        canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++;
      return {
        datasets: drawn?.data.datasets.map((d) => [d.label, d.data.length]),
        painted,
        width: canvas.width,
      };
    });
    expect(chart.datasets).toStrictEqual([
      ['failed tasks of ecs-svc/123', 5],
      ['failed tasks of ecs-svc/124', 1],
      ['as configured: rolled-back (failed-tasks) ecs-svc/123', 1],
      ['deploymentGuard.failedTasks.count=2: rolled-back (failed-tasks) ecs-svc/123', 1],
      [
        `deploymentGuard.failedTasks.count=5 deploymentGuard.alarms.names=[${ALARM}]: rolled-back (alarm) ecs-svc/123`,
        1,
      ],
      ['ECS circuit breaker fails ecs-svc/123 (threshold 4)', 1],
    ]);
    expect(chart.painted).toBeGreaterThan(chart.width * 10);
    await page.close();
  }, 60_000);
});
