import { Bench } from 'tinybench';
import { decideServiceAlert, type ServiceAlertEvent } from '#alerts/service-events/decide.ts';
import { parseConfig } from '#config/parse.ts';
import { decideDeploymentGuard } from '#guard/decide.ts';
import { screenGuardEvent } from '#guard/screen.ts';
import type { GuardEvent } from '#guard/state.ts';
import { parseEvent } from '#kernel/events/parse.ts';
import { fixture, fixtureNames } from '#support/events.ts';
import { guardState, rollingOut, settled, stoppedServiceTask } from '#support/guard.ts';
import { deployment, serviceState } from '#support/services.ts';

const NOW = new Date('2026-11-21T12:00:00Z');

/** Events parsed (validated, facts derived) and decided per second on one core, against JSON.parse. */
const throughputBench = async (): Promise<string[]> => {
  const events = fixtureNames()
    .filter((name) => !name.startsWith('cloudtrail-record'))
    .map((name) => fixture(name));
  const texts = events.map((event) => JSON.stringify(event));
  const config = parseConfig({}, 'bench');
  const state = {
    service: serviceState({
      deployments: [
        deployment({ id: 'ecs-svc/123', rolloutState: 'IN_PROGRESS' }),
        deployment({ id: 'ecs-svc/122', status: 'ACTIVE' }),
      ],
    }),
  };
  const serviceEvents = events.filter((event) => parseEvent(event).kind === 'service-action');
  // The guard's hot path: stopped tasks of a rolling deployment, with two earlier failures known.
  const stopped = (
    ['crashed', 'failed-to-start', 'health-check', 'oom', 'scale-in', 'user-stop'] as const
  ).map((story, i) => stoppedServiceTask(story, i + 3));
  const guardEvents = [
    ...stopped,
    ...events.filter((event) => parseEvent(event).kind === 'deployment-state-change'),
  ];
  const earlier = settled(
    guardState(rollingOut(), {
      stoppedTasks: [stoppedServiceTask('crashed', 1), stoppedServiceTask('crashed', 2)],
    }),
    config,
  );

  const bench = new Bench({ time: 1500, warmupTime: 300 });
  let sink = 0;
  bench
    .add('JSON.parse (floor)', () => {
      for (const text of texts) sink += (JSON.parse(text) as object) ? 1 : 0;
    })
    .add('parseEvent, every real event', () => {
      for (const event of events) sink += parseEvent(event).kind.length;
    })
    .add('service-alerts parse + decide', () => {
      for (const event of serviceEvents) {
        const parsed = parseEvent(event) as ServiceAlertEvent;
        sink += decideServiceAlert(parsed, state, config, NOW).actions.length;
      }
    })
    .add('deployment-guard parse + decide', () => {
      for (const event of guardEvents) {
        const parsed = parseEvent(event) as GuardEvent;
        sink += screenGuardEvent(parsed)
          ? 0
          : decideDeploymentGuard(parsed, earlier, config, NOW).actions.length;
      }
    });
  await bench.run();
  const perTask: Record<string, number> = {
    'JSON.parse (floor)': texts.length,
    'parseEvent, every real event': events.length,
    'service-alerts parse + decide': serviceEvents.length,
    'deployment-guard parse + decide': guardEvents.length,
  };
  const lines = ['Throughput on one core (events per second; target >= 20,000 for parse + decide)'];
  for (const task of bench.tasks) {
    const hz = task.result.state === 'completed' ? task.result.throughput.mean : 0;
    const perSecond = hz * (perTask[task.name] ?? 1);
    const verdict = task.name.includes('floor') ? '' : perSecond >= 20_000 ? '  met' : '  MISSED';
    lines.push(
      `${task.name.padEnd(34)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} events/s${verdict}`,
    );
  }
  if (sink < 0) lines.push(String(sink));
  return lines;
};

export { throughputBench };
