import { shortTaskDefinition } from '#kernel/events/arn.ts';
import { where } from './recorded-events.ts';
import type { ReplayEntry } from './replay-engine.ts';
import type { ReplayedAction } from './replay-view.ts';
import type { DeploymentSummary, FirstAction, ReplaySummary } from './summary.ts';

const text = (v: unknown): string => String(v ?? '');
const short = (v: unknown): string => (typeof v === 'string' && v ? shortTaskDefinition(v) : '?');

/** How a notify went per channel, in words: "sent (sns)", "duplicate, not sent again (sns)". */
const delivery = (detail: string): string =>
  detail
    .split(', ')
    .map((part) => {
      const [channel, outcome] = part.split(': ');
      if (!outcome) return part;
      const words: Record<string, string> = {
        sent: 'sent',
        duplicate: 'duplicate, not sent again',
        'below-minimum-severity': 'below its minimum severity',
        'not-routed': 'not routed there',
      };
      return `${words[outcome] ?? outcome} (${channel})`;
    })
    .join('; ');

const actionLine = (a: ReplayedAction): string => {
  switch (a.type) {
    case 'rollback':
      return `ROLLBACK ${text(a.cluster)}/${text(a.service)} from ${short(a.fromTaskDefinition)} to ${short(a.taskDefinition)} (${text(a.trigger)}): ${a.detail}`;
    case 'notify':
      return `alert "${text(a.title)}": ${delivery(a.detail)}`;
    case 'stop':
      return `STOP task ${text(a.taskArn)} (${text(a.reason)})`;
    case 'answer-hook':
      return `ANSWER ${text(a.hookStatus)}${a.callBackDelay === undefined ? '' : ` (again in ${text(a.callBackDelay)} s)`}: ${text(a.reason)}`;
    case 'watch-deployment':
    case 'update-watch':
    case 'end-watch':
      return `watch ${text(a.deploymentId)}: ${a.detail}`;
    default:
      return `${a.type}: ${a.detail}`;
  }
};

/**
 * One event as people read it: when, where it came from (file:line), what it was, the decision
 * and each action with what it did. An unreadable line names its file and line like any other.
 */
const entryText = (entry: ReplayEntry): string => {
  const from = entry.source ? where(entry.source) : `(${entry.synthetic ?? 'replay'})`;
  const head = `${entry.event.time ?? '(no time)'}  ${from}  ${entry.event.label}`;
  const lines = [head, `    ${entry.outcome}: ${entry.reason}`];
  for (const a of entry.actions) lines.push(`    ${actionLine(a)}`);
  return lines.join('\n');
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Prints entries as they come. Unless every entry is wanted, a run of events that no function
 * acted on (a task starting, a steady state) is folded into one line counting them, so that what
 * Harbormaster did, could not decide or could not read stands out.
 */
class TextPrinter {
  #folded = 0;
  readonly #all: boolean;
  readonly #print: (text: string) => void;

  constructor(print: (text: string) => void, all: boolean) {
    this.#print = print;
    this.#all = all;
  }

  entry(entry: ReplayEntry): void {
    if (!this.#all && entry.outcome === 'ignored' && entry.actions.length === 0 && entry.source) {
      this.#folded += 1;
      return;
    }
    this.flush();
    this.#print(entryText(entry));
  }

  /** Prints the count of folded events, if any. */
  flush(): void {
    if (this.#folded > 0)
      this.#print(`    (${plural(this.#folded, 'event')} no function acted on: --all shows them)`);
    this.#folded = 0;
  }
}

const firstActionText = (a: FirstAction | undefined): string => {
  if (!a) return 'no rollback';
  const what = {
    'rolled-back': 'rolled back',
    'would-roll-back': 'would roll back (notify only)',
    'cannot-roll-back': 'failing, not rolled back',
  }[a.kind];
  return `${what} at ${a.at} by ${a.trigger ?? 'a rule'}, after ${plural(a.failedTasksBefore, 'failed task')}`;
};

const breakerText = (d: DeploymentSummary): string[] => {
  const b = d.breaker;
  const state = b.enabled
    ? `enabled${b.rollback ? ' with rollback' : ', no rollback'}`
    : 'not enabled on this service';
  const verdict = b.tripsAt
    ? `would have failed it at ${b.tripsAt} after ${plural(b.counted, 'counted failure')}${b.rollback ? ' and rolled back' : ''}`
    : `would not have failed it (${plural(b.counted, 'counted failure')} of ${b.threshold})`;
  return [
    `ECS circuit breaker (threshold ${b.formula}; ${state}): ${verdict}`,
    ...b.blindSpots.map((s) => `  blind spot: ${s}`),
  ];
};

const deploymentText = (d: DeploymentSummary): string[] => {
  const what = [
    d.taskDefinition ? short(d.taskDefinition) : undefined,
    d.desiredCount ? `desired ${d.desiredCount}` : undefined,
    d.startedAt ? `started ${d.startedAt}` : undefined,
    d.recorded ? `ECS: ${d.recorded}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const alerts = `${plural(d.alerts.sent, 'alert')} sent${d.alerts.duplicates ? ` (${d.alerts.duplicates} duplicate${d.alerts.duplicates === 1 ? '' : 's'} not sent again)` : ''}`;
  return [
    `  ${d.deploymentId} (${what})`,
    `    Harbormaster: ${firstActionText(d.firstAction)}; ${plural(d.failedTasks, 'failed task')} in the recording; ${alerts}`,
    ...breakerText(d).map((l) => `    ${l}`),
  ];
};

/** The end-of-run summary: totals, what state was missing, then per service and deployment. */
const summaryText = (summary: ReplaySummary): string => {
  const lines = [
    `Summary: ${plural(summary.events, 'event')}${summary.invalid ? `, ${summary.invalid} unreadable` : ''}${summary.undecided ? `, ${summary.undecided} undecided for lack of state` : ''}${summary.diverged ? `, ${summary.diverged} not in the replayed world` : ''}${summary.sweeps ? `, ${plural(summary.sweeps, 'sweep')} of the guard's schedule run by the replay` : ''}; ${plural(summary.alerts.sent, 'alert')} sent, ${summary.alerts.duplicates} duplicates not sent again`,
  ];
  for (const missing of summary.missingState) lines.push(`  ${missing}`);
  for (const w of summary.stillWatched)
    lines.push(
      `  still watched when the recording ends: ${w.deployment} (${w.what} ${w.dueAt}; --until plays the guard's sweep further)`,
    );
  for (const service of summary.services) {
    lines.push(service.service);
    for (const d of service.deployments) lines.push(...deploymentText(d));
    if (service.otherAlerts.sent + service.otherAlerts.duplicates > 0)
      lines.push(
        `  service events: ${plural(service.otherAlerts.sent, 'alert')} sent, ${service.otherAlerts.duplicates} duplicates not sent again`,
      );
  }
  return lines.join('\n');
};

/** What-if: each deployment's first action under each scenario, side by side, and ECS's breaker. */
const compareText = (runs: readonly { name: string; summary: ReplaySummary }[]): string => {
  const lines = ['What-if: the first action per deployment under each setting'];
  const first = runs[0]?.summary;
  for (const service of first?.services ?? []) {
    for (const d of service.deployments) {
      lines.push(`${service.service} ${d.deploymentId}`);
      for (const run of runs) {
        const same = run.summary.services
          .find((s) => s.service === service.service)
          ?.deployments.find((x) => x.deploymentId === d.deploymentId);
        lines.push(
          `  ${run.name}: ${firstActionText(same?.firstAction)}; ${plural(same?.alerts.sent ?? 0, 'alert')} sent`,
        );
      }
      lines.push(
        `  ECS circuit breaker: ${d.breaker.tripsAt ? `fails it at ${d.breaker.tripsAt} (${d.breaker.counted} of ${d.breaker.threshold})` : `never fails it (${d.breaker.counted} of ${d.breaker.threshold} counted)`}`,
      );
    }
  }
  for (const run of runs)
    lines.push(`${run.name}: ${plural(run.summary.alerts.sent, 'alert')} sent in all`);
  return lines.join('\n');
};

export { compareText, entryText, summaryText, TextPrinter };
