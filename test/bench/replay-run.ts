import { inMemory } from '#apps/replay/recorded-events.ts';
import { runScenarios } from '#apps/replay/run-replay.ts';
import { scenariosOf } from '#apps/replay/what-if.ts';
import { REPLAYABLE } from '#functions/registry.ts';
import type { Json } from '#support/events.ts';
import { incidentEvents, incidentState } from '#support/incident.ts';

/**
 * One measured replay, in a process of its own so that its peak memory is its own:
 * `node test/bench/replay-run.ts <events>` prints {events, seconds, eventsPerSecond, peakRssMiB,
 * baseRssMiB, peakHeapMiB} as JSON. The recording is the real incident stream
 * (test/support/incident.ts) repeated with new ids and times over 50 services, one incident every
 * six hours, as an account's archive would hold them.
 */
const SERVICES = 50;
const HOURS_APART = 6;

const count = Number(process.argv[2] ?? '10000');
const base = incidentEvents();
const state = await incidentState();
const [template] = (state.services as Json[]) ?? [];

const serviceName = (i: number) => `svc-${i % SERVICES}`;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** The incident's events, renamed for repetition `r`: its service, deployments, tasks, ids and times. */
const repetition = (r: number): Json[] => {
  const service = serviceName(r);
  const shift = r * HOURS_APART * 3600_000;
  const later = (iso: unknown) => new Date(Date.parse(String(iso)) + shift).toISOString();
  const text = JSON.stringify(base)
    .replaceAll('service/default/servicetest', `service/default/${service}`)
    .replaceAll('service:servicetest', `service:${service}`)
    .replaceAll('ecs-svc/123', `ecs-svc/${1_000_000 + 2 * r}`)
    .replaceAll('ecs-svc/124', `ecs-svc/${1_000_001 + 2 * r}`)
    .replaceAll(
      /task\/default\/0{24}(\w{8})/g,
      (_m, n: string) => `task/default/${hex(r, 24)}${n}`,
    );
  return (JSON.parse(text) as Json[]).map((event, i) => {
    const detail = event.detail as Json;
    for (const key of ['updatedAt', 'stoppedAt', 'startedAt', 'createdAt', 'stoppingAt'] as const)
      if (typeof detail[key] === 'string') detail[key] = later(detail[key]);
    return { ...event, id: `${hex(r, 8)}-0000-4000-8000-${hex(i, 12)}`, time: later(event.time) };
  });
};

const events: Json[] = [];
for (let r = 0; events.length < count; r++) events.push(...repetition(r));
events.length = count;
const services = Array.from({ length: SERVICES }, (_, i) => ({
  ...template,
  serviceName: serviceName(i),
  serviceArn: String(template?.serviceArn).replace(/servicetest$/, serviceName(i)),
}));
const lines = inMemory(events);
const scenarios = scenariosOf({}, 'bench', [], []);

let peakHeap = 0;
const sample = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 5);
const baseRss = process.memoryUsage().rss;
const started = performance.now();
const cpuStart = process.cpuUsage();
let printed = 0;
const [run] = await runScenarios(lines, {
  state: [{ services, failures: [] }],
  scenarios,
  functions: REPLAYABLE,
  stage: undefined,
  keepEntries: false,
  // What `--json` prints, without a terminal in the way.
  onEntry: (entry) => {
    printed += JSON.stringify(entry).length;
  },
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
clearInterval(sample);
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
const rollbacks = run?.summary.services.reduce(
  (n, s) => n + s.deployments.filter((d) => d.firstAction?.kind === 'rolled-back').length,
  0,
);
console.log(
  JSON.stringify({
    events: count,
    seconds,
    eventsPerSecond: count / seconds,
    cpuSeconds,
    eventsPerCpuSecond: count / cpuSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    baseRssMiB: baseRss / 1024 / 1024,
    peakHeapMiB: peakHeap / 1024 / 1024,
    rollbacks,
    printedMiB: printed / 1024 / 1024,
  }),
);
