import { where } from '../recorded-events.ts';
import type { ReplayEntry } from '../replay-engine.ts';
import type { ScenarioRun } from '../run-replay.ts';

/** One line of a service's timeline: an ECS event, a decision, or a moment a setting would act. */
interface TimelineRow {
  time: string;
  kind: 'ecs' | 'harbormaster' | 'what-if' | 'breaker' | 'invalid';
  source: string;
  what: string;
  /** The decision and its actions (alerts, rollbacks), as people read them. */
  details: string[];
}

/** A moment drawn on the chart: a setting's first action, or the breaker failing the deployment. */
interface ChartMarker {
  label: string;
  kind: 'setting' | 'breaker';
  t: number;
  y: number;
}

/** The chart of one service: failed tasks over time per deployment, and the moments to compare. */
interface ChartData {
  title: string;
  deployments: { label: string; points: { t: number; y: number }[] }[];
  markers: ChartMarker[];
}

interface ServiceReport {
  service: string;
  rows: TimelineRow[];
  chart: ChartData;
}

const ms = (iso: string | undefined): number => (iso ? Date.parse(iso) : Number.NaN);

const actionText = (entry: ReplayEntry): string[] =>
  entry.actions.map((a) => {
    if (a.type === 'notify') return `alert "${String(a.title)}": ${a.detail}`;
    if (a.type === 'rollback')
      return `rollback to ${String(a.taskDefinition)} (${String(a.trigger)}): ${a.detail}`;
    return `${a.type}: ${a.detail}`;
  });

/** Which service an entry belongs to: the one its event names, else the one its actions name. */
const serviceOfEntry = (entry: ReplayEntry): string => {
  if (entry.event.service) return entry.event.service;
  const acting = entry.actions.find((a) => typeof a.cluster === 'string');
  return acting ? `${String(acting.cluster)}/${String(acting.service)}` : 'other events';
};

const rowOf = (entry: ReplayEntry): TimelineRow => ({
  time: entry.event.time ?? '',
  kind: entry.outcome === 'invalid' ? 'invalid' : entry.actions.length > 0 ? 'harbormaster' : 'ecs',
  source: entry.source ? where(entry.source) : (entry.synthetic ?? ''),
  what: entry.event.label,
  details: [`${entry.outcome}: ${entry.reason}`, ...actionText(entry)],
});

/** The failures known at a moment: how high a marker sits on its deployment's line. */
const failuresAt = (times: readonly string[], at: number): number =>
  times.filter((t) => ms(t) <= at).length;

/**
 * The report's data: per service, the baseline run's timeline (every event, decision and alert),
 * each setting's first action and the breaker's moment as rows of their own, and the chart.
 */
const reportData = (runs: readonly ScenarioRun[]): ServiceReport[] => {
  const baseline = runs[0];
  if (!baseline) return [];
  const services = new Map<string, ServiceReport>();
  const serviceReport = (service: string): ServiceReport => {
    let report = services.get(service);
    if (!report) {
      const title = `${service}: failed tasks per deployment, and when each setting and ECS's circuit breaker would have acted`;
      report = { service, rows: [], chart: { title, deployments: [], markers: [] } };
      services.set(service, report);
    }
    return report;
  };
  for (const entry of baseline.entries)
    serviceReport(serviceOfEntry(entry)).rows.push(rowOf(entry));
  for (const service of baseline.summary.services) {
    const report = serviceReport(service.service);
    for (const d of service.deployments) {
      const points = d.failureTimes.map((t, i) => ({ t: ms(t), y: i + 1 }));
      const start = ms(d.startedAt);
      if (!Number.isNaN(start)) points.unshift({ t: start, y: 0 });
      report.chart.deployments.push({ label: `failed tasks of ${d.deploymentId}`, points });
      for (const run of runs) {
        const same = run.summary.services
          .find((s) => s.service === service.service)
          ?.deployments.find((x) => x.deploymentId === d.deploymentId);
        const first = same?.firstAction;
        if (!first) continue;
        const label = `${run.name}: ${first.kind} (${first.trigger ?? 'rule'}) ${d.deploymentId}`;
        report.chart.markers.push({
          label,
          kind: 'setting',
          t: ms(first.at),
          y: first.failedTasksBefore,
        });
        report.rows.push({
          time: first.at,
          kind: 'what-if',
          source: run.name,
          what: label,
          details: [first.reason],
        });
      }
      if (d.breaker.tripsAt) {
        const at = ms(d.breaker.tripsAt);
        const label = `ECS circuit breaker fails ${d.deploymentId} (threshold ${d.breaker.threshold})`;
        report.chart.markers.push({
          label,
          kind: 'breaker',
          t: at,
          y: failuresAt(d.failureTimes, at),
        });
        report.rows.push({
          time: d.breaker.tripsAt,
          kind: 'breaker',
          source: 'ECS circuit breaker',
          what: label,
          details: [`threshold ${d.breaker.formula}`, ...d.breaker.blindSpots],
        });
      }
    }
  }
  for (const report of services.values())
    report.rows.sort((a, b) => (ms(a.time) || 0) - (ms(b.time) || 0));
  return [...services.values()];
};

export { type ChartData, type ChartMarker, reportData, type ServiceReport, type TimelineRow };
