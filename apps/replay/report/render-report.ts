import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ScenarioRun } from '../run-replay.ts';
import type { StateFile } from '../state-files.ts';
import type { DeploymentSummary } from '../summary.ts';
import { CHART_SCRIPT } from './chart-script.ts';
import { reportData, type ServiceReport } from './report-data.ts';

/** Escapes text from events and files for HTML: every value on the page goes through it. */
const esc = (value: unknown): string =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** JSON inside <script>: "<" escaped, so that no text from an event can close the element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** Chart.js's UMD build, inlined: the page needs no network to draw its charts. */
const chartJs = (): string => {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8');
};

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #1b1b1b; max-width: 1200px; }
h1 { font-size: 1.5rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } code, .mono { font-family: ui-monospace, monospace; font-size: 12px; }
tr.ecs td { color: #444; } tr.harbormaster { background: #eef5ff; }
tr.what-if { background: #fff4e0; font-weight: 600; } tr.breaker { background: #fde8e8; font-weight: 600; }
tr.invalid { background: #f4f4f4; color: #a00; }
.chart { position: relative; height: 320px; } ul.details { margin: 0; padding-left: 1.1rem; }
`;

const firstAction = (d: DeploymentSummary | undefined): string => {
  const a = d?.firstAction;
  if (!a) return 'no rollback';
  return `${a.kind} at ${a.at} (${a.trigger ?? 'rule'}), after ${a.failedTasksBefore} failed tasks`;
};

/** The what-if table: one row per deployment, one column per setting, and ECS's breaker. */
const compareTable = (runs: readonly ScenarioRun[]): string => {
  const head = runs.map((r) => `<th>${esc(r.name)}</th>`).join('');
  const rows = (runs[0]?.summary.services ?? []).flatMap((s) =>
    s.deployments.map((d) => {
      const cells = runs.map((r) => {
        const same = r.summary.services
          .find((x) => x.service === s.service)
          ?.deployments.find((x) => x.deploymentId === d.deploymentId);
        return `<td>${esc(firstAction(same))}; ${esc(same?.alerts.sent ?? 0)} alerts sent (${esc(same?.alerts.duplicates ?? 0)} duplicates dropped)</td>`;
      });
      const b = d.breaker;
      const breaker = b.tripsAt
        ? `fails it at ${b.tripsAt} (${b.counted} counted, threshold ${b.formula})`
        : `never fails it (${b.counted} of ${b.threshold} counted)`;
      return `<tr><td>${esc(s.service)}</td><td class="mono">${esc(d.deploymentId)}</td>${cells.join('')}<td>${esc(breaker)}${b.blindSpots.length ? `<ul class="details">${b.blindSpots.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''}</td></tr>`;
    }),
  );
  return `<table id="what-if"><thead><tr><th>Service</th><th>Deployment</th>${head}<th>ECS circuit breaker</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
};

const serviceSection = (report: ServiceReport, i: number): string => {
  const chart =
    report.chart.deployments.length > 0
      ? `<div class="chart"><canvas id="chart-${i}" role="img" aria-label="${esc(report.chart.title)}"></canvas></div>`
      : '';
  const rows = report.rows
    .map(
      (r) =>
        `<tr class="${r.kind}"><td class="mono">${esc(r.time)}</td><td class="mono">${esc(r.source)}</td><td>${esc(r.what)}</td><td><ul class="details">${r.details.map((d) => `<li>${esc(d)}</li>`).join('')}</ul></td></tr>`,
    )
    .join('');
  return `<section class="service" data-service="${esc(report.service)}"><h2>${esc(report.service)}</h2>${chart}<table class="timeline"><thead><tr><th>Time</th><th>From</th><th>What</th><th>Decision and actions</th></tr></thead><tbody>${rows}</tbody></table></section>`;
};

/**
 * The replay as one self-contained HTML page: what was replayed against which settings, the
 * what-if table, and per service a chart (Chart.js, inlined) and a timeline of ECS events,
 * Harbormaster's decisions and alerts, each setting's first action and the breaker's moment.
 */
const renderReport = (
  runs: readonly ScenarioRun[],
  input: { paths: readonly string[]; states: readonly StateFile[] },
): string => {
  const services = reportData(runs);
  const totals = runs[0]?.summary;
  const missing = (totals?.missingState ?? []).map((m) => `<li>${esc(m)}</li>`).join('');
  const chartData = services.map((s) => ({ service: s.service, chart: s.chart }));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harbormaster replay report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<h1>Harbormaster replay report</h1>
<p>Replayed <code>${esc(input.paths.join(' '))}</code> with state ${input.states.map((s) => `<code>${esc(s.path)}</code> (${esc(s.kind)})`).join(', ') || 'none'}: ${esc(totals?.events ?? 0)} events, ${esc(totals?.invalid ?? 0)} unreadable, ${esc(totals?.undecided ?? 0)} undecided for lack of state; ${esc(totals?.alerts.sent ?? 0)} alerts sent after deduplication.</p>
${missing ? `<p>Not decided:</p><ul id="missing-state">${missing}</ul>` : ''}
<h2>What-if</h2>
${compareTable(runs)}
${services.map(serviceSection).join('\n')}
<script type="application/json" id="report-data">${scriptJson(chartData)}</script>
<script>${chartJs()}</script>
<script>${CHART_SCRIPT}</script>
</body></html>
`;
};

export { esc, renderReport };
