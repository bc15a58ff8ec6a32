import {
  type AlbResources,
  createProgressiveService,
  deploymentStatus,
  greenShare,
} from '#apps/local/demo/scenarios/progressive-services.ts';
import { type LocalStack, startLocalStack } from '#apps/local/lambda/local-stack.ts';
import type { ConfigInput } from '#config/schema.ts';
import { FUNCTIONS } from '#functions/registry.ts';
import { NETWORK, registerRevision } from '#support/local-services.ts';

/**
 * Section 7 of issue 12: a canary whose green revision fails. For each way of catching it, the
 * simulated time from green's first bad response to production traffic back on blue (and to the
 * verdict), the share of production requests green served from its first bad response until then,
 * and the production requests it failed. The embedded ECS runs the deployments, the traffic and
 * the ALB metrics; only what it cannot simulate (CloudWatch turning metrics into alarm states, and
 * ECS's polling of alarms) is modelled, with the assumptions printed beside the figures.
 */

const START = Date.parse('2026-11-21T09:00:00Z');
const TICK_MS = 10_000;
const PRODUCTION_RPM = 1200;
const TEST_RPM = 120;
const ERROR_RATE = 0.12;
const CANARY_PERCENT = 10;
const HORIZON_MS = 40 * 60_000;
/** Seconds past the minute the deployment starts at: the spread of every figure. */
const OFFSETS_S = [0, 10, 20, 30, 40, 50];

// The alarm model: a 1-minute alarm on green's 5xx rate above 1 %, in ALARM once its last
// evaluation period has ended and its data is published (the same 60 s the gate waits for), then
// noticed by ECS (whose polling interval AWS does not document: 60 s assumed, its worst case being
// the figure here) or by the guard (an EventBridge event, at once).
const DATA_DELAY_MS = 60_000;
const ECS_ALARM_POLL_MS = 60_000;

type When = 'from-start' | 'under-production';

interface Run {
  /** Green's first bad response (ms since epoch). */
  firstBad: number | undefined;
  /** Harbormaster's FAILED answer, ECS's alarm noticed, or the guard's rollback call. */
  verdict: number | undefined;
  /** Production traffic back on blue (green's share 0 again, or no new task serving). */
  backOnBlue: number | undefined;
  peakShare: number;
  /** Production requests green served, and failed, from its first bad response until back on blue. */
  greenRequests: number;
  badRequests: number;
  totalRequests: number;
}

const newRun = (): Run => ({
  firstBad: undefined,
  verdict: undefined,
  backOnBlue: undefined,
  peakShare: 0,
  greenRequests: 0,
  badRequests: 0,
  totalRequests: 0,
});

/** Adds one tick's production traffic, green serving `share` percent of it. */
const serve = (run: Run, share: number, failing: boolean): void => {
  if (run.firstBad === undefined || run.backOnBlue !== undefined) return;
  const requests = (PRODUCTION_RPM * TICK_MS) / 60_000;
  run.totalRequests += requests;
  run.greenRequests += (requests * share) / 100;
  if (failing) run.badRequests += (requests * share * ERROR_RATE) / 100;
};

/** When a 1-minute alarm with `periods` evaluation periods (all breaching) enters ALARM. */
const alarmAt = (firstBad: number, periods: number): number =>
  Math.floor(firstBad / 60_000) * 60_000 + periods * 60_000 + DATA_DELAY_MS;

const progressiveStack = async (
  offsetS: number,
  config: ConfigInput,
  canaryBakeMinutes: number,
): Promise<{ stack: LocalStack; alb: AlbResources; v2: string }> => {
  const stack = await startLocalStack({
    now: new Date(START + offsetS * 1000),
    config,
    functions: FUNCTIONS,
  });
  stack.local.ecs.createCluster('prod');
  const v1 = registerRevision(stack.local, 'web');
  const alb = await createProgressiveService(stack, {
    cluster: 'prod',
    service: 'web',
    taskDefinition: v1,
    desiredCount: 4,
    deploymentConfiguration: {
      strategy: 'CANARY',
      canaryConfiguration: {
        canaryPercent: CANARY_PERCENT,
        canaryBakeTimeInMinutes: canaryBakeMinutes,
      },
      bakeTimeInMinutes: 5,
    },
  });
  stack.local.ecs.setTraffic('prod', 'web', { production: PRODUCTION_RPM, test: TEST_RPM });
  // Back to the same second past the minute the run was asked to start at.
  const now = stack.local.clock.nowMs();
  const toOffset = (((offsetS * 1000 - (now % 60_000)) % 60_000) + 60_000) % 60_000;
  await stack.elapse(2 * 60_000 + toOffset);
  const v2 = registerRevision(stack.local, 'web', 'public.ecr.aws/nginx/nginx:1.28');
  return { stack, alb, v2 };
};

const greenServing = (stack: LocalStack, v2: string): boolean =>
  stack.local.ecs
    .tasks({ cluster: 'prod', serviceName: 'web' })
    .some((t) => t.taskDefinitionArn === v2 && t.lastStatus === 'RUNNING' && t.healthy);

/**
 * A canary on the embedded ECS, caught by Harbormaster's analysis gate (default analyses, interval
 * 60 s, data delay 60 s; canary bake 0 so that the analysis paces the step) or, with `alarmPeriods`,
 * by ECS's own alarm-based rollback (no hooks; a 10-minute canary bake so that the alarm has time;
 * the rollback ECS would start is started with StopServiceDeployment(ROLLBACK) when the modelled
 * alarm is noticed).
 */
const canaryRun = async (
  offsetS: number,
  when: When,
  alarmPeriods: number | undefined,
): Promise<Run> => {
  const gate = alarmPeriods === undefined;
  const { stack, alb, v2 } = await progressiveStack(
    offsetS,
    gate ? {} : { delivery: { mode: 'off' } },
    gate ? 0 : 10,
  );
  const { ecs } = stack.local;
  const run = newRun();
  try {
    if (when === 'from-start') ecs.setHttpBehavior(v2, { errorRate: ERROR_RATE });
    ecs.call('UpdateService', { cluster: 'prod', service: 'web', taskDefinition: v2 });
    let rolledBack = false;
    for (let t = 0; t < HORIZON_MS && run.backOnBlue === undefined; t += TICK_MS) {
      await stack.elapse(TICK_MS);
      const now = stack.local.clock.nowMs();
      const share = greenShare(stack, alb);
      run.peakShare = Math.max(run.peakShare, share);
      if (run.firstBad === undefined) {
        if (when === 'from-start' && greenServing(stack, v2)) run.firstBad = now - TICK_MS;
        if (when === 'under-production' && share > 0) {
          ecs.setHttpBehavior(v2, { errorRate: ERROR_RATE });
          run.firstBad = now;
        }
      }
      serve(run, share, run.firstBad !== undefined);
      if (gate) {
        const failed = stack.lambda.invocations.find(
          (i) =>
            i.function === 'deployment-hooks' &&
            (i.result as { hookStatus?: string } | undefined)?.hookStatus === 'FAILED',
        );
        if (failed && run.verdict === undefined) run.verdict = failed.at.getTime();
      } else if (run.firstBad !== undefined && !rolledBack) {
        const noticed = alarmAt(run.firstBad, alarmPeriods) + ECS_ALARM_POLL_MS;
        if (now >= noticed) {
          const [sd] = (
            ecs.call('ListServiceDeployments', {
              cluster: 'prod',
              service: 'web',
              status: ['IN_PROGRESS'],
            }) as { serviceDeployments?: { serviceDeploymentArn?: string }[] }
          ).serviceDeployments ?? [{}];
          if (sd?.serviceDeploymentArn)
            ecs.call('StopServiceDeployment', {
              serviceDeploymentArn: sd.serviceDeploymentArn,
              stopType: 'ROLLBACK',
            });
          run.verdict = noticed;
          rolledBack = true;
        }
      }
      const status = deploymentStatus(stack, 'prod', 'web') ?? '';
      const decided = run.verdict !== undefined || status.startsWith('ROLLBACK');
      if (run.firstBad !== undefined && decided && share === 0) run.backOnBlue = now;
    }
  } finally {
    await stack.close();
  }
  return run;
};

/**
 * The rolling guard: the same failing revision on the ROLLING strategy behind one target group
 * (new tasks take requests in proportion to their number), the guard watching the alarm (set to
 * ALARM when the model says, as a rolling service's alarm would be), rolling back with
 * UpdateService. Back on blue when no task of the new revision serves any more.
 */
const rollingRun = async (offsetS: number, when: When, alarmPeriods: number): Promise<Run> => {
  const stack = await startLocalStack({
    now: new Date(START + offsetS * 1000),
    config: {},
    functions: FUNCTIONS,
  });
  const { local } = stack;
  const run = newRun();
  try {
    local.ecs.createCluster('prod');
    const v1 = registerRevision(local, 'web');
    local.ecs.createService({
      cluster: 'prod',
      serviceName: 'web',
      taskDefinition: v1,
      desiredCount: 4,
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      loadBalancers: [
        {
          targetGroupArn: `arn:aws:elasticloadbalancing:${local.region}:${local.accountId}:targetgroup/web/0123456789abcdef`,
          containerName: 'app',
          containerPort: 80,
        },
      ],
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: false, rollback: false },
        minimumHealthyPercent: 100,
        maximumPercent: 200,
      },
      tags: [{ key: 'harbormaster:guard:alarms', value: 'web-5xx' }],
    });
    local.cloudwatch.putAlarm('web-5xx', { state: 'OK' });
    local.ecs.setTraffic('prod', 'web', { production: PRODUCTION_RPM, test: 0 });
    await stack.elapse(10 * 60_000);
    const now0 = local.clock.nowMs();
    await stack.elapse((((offsetS * 1000 - (now0 % 60_000)) % 60_000) + 60_000) % 60_000);
    const v2 = registerRevision(local, 'web', 'public.ecr.aws/nginx/nginx:1.28');
    if (when === 'from-start') local.ecs.setHttpBehavior(v2, { errorRate: ERROR_RATE });
    local.ecs.call('UpdateService', { cluster: 'prod', service: 'web', taskDefinition: v2 });
    let alarmed = false;
    for (let t = 0; t < HORIZON_MS && run.backOnBlue === undefined; t += TICK_MS) {
      await stack.elapse(TICK_MS);
      const now = local.clock.nowMs();
      const serving = local.ecs
        .tasks({ cluster: 'prod', serviceName: 'web' })
        .filter((task) => task.lastStatus === 'RUNNING' && task.healthy);
      const share = serving.length
        ? (100 * serving.filter((task) => task.taskDefinitionArn === v2).length) / serving.length
        : 0;
      run.peakShare = Math.max(run.peakShare, share);
      if (run.firstBad === undefined && share > 0) {
        if (when === 'under-production') local.ecs.setHttpBehavior(v2, { errorRate: ERROR_RATE });
        run.firstBad = now - TICK_MS;
      }
      serve(run, share, run.firstBad !== undefined);
      if (run.firstBad !== undefined && !alarmed && now >= alarmAt(run.firstBad, alarmPeriods)) {
        local.cloudwatch.setAlarmState('web-5xx', 'ALARM', 'Threshold Crossed: 5xx above 1%');
        alarmed = true;
      }
      const call = local.calls.list('ecs', 'UpdateService', 'deployment-guard')[0];
      if (call && run.verdict === undefined) run.verdict = call.at.getTime();
      if (run.verdict !== undefined && share === 0) run.backOnBlue = now;
    }
  } finally {
    await stack.close();
  }
  return run;
};

const seconds = (from: number | undefined, to: number | undefined): number | undefined =>
  from === undefined || to === undefined ? undefined : (to - from) / 1000;

const spread = (values: (number | undefined)[], unit: string, digits = 0): string => {
  if (values.some((v) => v === undefined)) return 'never';
  const sorted = (values as number[]).toSorted((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  const f = (v: number) => v.toFixed(digits);
  return `${f(median)}${unit} (${f(sorted[0] as number)}\u2013${f(sorted.at(-1) as number)})`;
};

const row = (name: string, runs: Run[]): string => {
  const share = runs.map((r) =>
    r.totalRequests === 0 ? 0 : (100 * r.greenRequests) / r.totalRequests,
  );
  return [
    name.padEnd(46),
    spread(
      runs.map((r) => seconds(r.firstBad, r.verdict)),
      ' s',
    ).padEnd(18),
    spread(
      runs.map((r) => seconds(r.firstBad, r.backOnBlue)),
      ' s',
    ).padEnd(18),
    `${spread(
      runs.map((r) => r.greenRequests),
      '',
    )}; ${spread(share, ' %', 1)}`.padEnd(40),
    spread(
      runs.map((r) => r.badRequests),
      '',
    ).padEnd(16),
    `${Math.max(...runs.map((r) => r.peakShare))} %`,
  ].join(' ');
};

/**
 * For green failing from its first request (test traffic shows it) and only under production load
 * (it shows once green has the canary share): Harbormaster's analysis gate against ECS's alarm
 * rollback (1 and 3 evaluation periods) and against the rolling guard on an alarm. Every figure
 * is the median and range over deployments started at six offsets within the minute.
 */
const deliveryBench = async (): Promise<string[]> => {
  const lines = [
    `A canary (${CANARY_PERCENT} %, ${PRODUCTION_RPM} production and ${TEST_RPM} test requests a minute, 4 tasks) whose green revision answers ${ERROR_RATE * 100} % 5xx; simulated on the embedded ECS; median (range) over starts at ${OFFSETS_S.join(', ')} s past the minute`,
    'Modelled, not simulated: a 1-minute alarm on the 5xx rate enters ALARM 60 s after its last breaching period ends (CloudWatch ALB data delay, as the gate assumes); ECS notices an alarm within 60 s (its polling interval is undocumented: the worst case assumed); the guard hears the alarm state change event at once.',
    '',
  ];
  let targetMet = true;
  for (const when of ['from-start', 'under-production'] as When[]) {
    lines.push(
      when === 'from-start'
        ? 'Green fails from its first request:'
        : 'Green fails only under production traffic (from its canary step):',
      `${'caught by'.padEnd(46)} ${'to verdict'.padEnd(18)} ${'back on blue'.padEnd(18)} ${'prod requests green served; share'.padEnd(40)} ${'bad prod resp.'.padEnd(16)} peak green share`,
    );
    const gateRuns: Run[] = [];
    for (const offset of OFFSETS_S) gateRuns.push(await canaryRun(offset, when, undefined));
    lines.push(row('Harbormaster analysis gate (60 s interval)', gateRuns));
    for (const periods of [1, 3]) {
      const runs: Run[] = [];
      for (const offset of OFFSETS_S) runs.push(await canaryRun(offset, when, periods));
      lines.push(row(`ECS alarm rollback, ${periods} period(s), bake 10 min`, runs));
    }
    const rolling: Run[] = [];
    for (const offset of OFFSETS_S) rolling.push(await rollingRun(offset, when, 1));
    lines.push(row('rolling update, guard on the alarm (1 period)', rolling));
    lines.push('');
    // Targets: back on blue within two analysis intervals of the first bad production response
    // (from the first bad test response, green served no production at all), green never above
    // the canary share.
    const within = gateRuns.every(
      (r) =>
        r.backOnBlue !== undefined &&
        r.firstBad !== undefined &&
        (when === 'from-start'
          ? r.greenRequests === 0
          : r.backOnBlue - r.firstBad <= 2 * 60_000 + TICK_MS),
    );
    const capped = gateRuns.every((r) => r.peakShare <= CANARY_PERCENT);
    targetMet &&= within && capped;
  }
  lines.push(
    `Targets (the gate: back on blue within two analysis intervals, to the 10-second tick of the simulation; green never above the canary share): ${targetMet ? 'met' : 'MISSED'}`,
  );
  return lines;
};

export { deliveryBench };
