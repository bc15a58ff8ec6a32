import { sha256Hex } from '../../core/ids.ts';
import type { EcsContext, TrafficSpec } from '../ecs-context.ts';
import type { ServiceRecord, TaskRecord } from '../ecs-types.ts';
import { latencySamples } from '../http-behaviors.ts';
import {
  blueGreenLoadBalancers,
  loadBalancerDimension,
  ruleWeights,
  targetGroupDimension,
} from '../progressive/listener-rules.ts';
import { isProgressive } from '../progressive/strategy-config.ts';

/**
 * Simulated Application Load Balancer traffic: every 10 simulated seconds, the requests per minute
 * a scenario sets on a service arrive at its production (and test) listener rule, split over the
 * target groups by the rules' weights, spread evenly over each group's healthy targets, and
 * answered as each target's task definition behaves (error rate, latency). The outcome is published
 * as the AWS/ApplicationELB metrics, per target group and per load balancer. A group with weight
 * but no healthy target answers with load balancer 503s.
 */

const TICK_MS = 10_000;
const NAMESPACE = 'AWS/ApplicationELB';
const carries = new WeakMap<EcsContext, Map<string, number>>();

// Whole requests from fractional rates: the remainder carries to the next tick, so totals are
// exact over time and runs are deterministic.
const whole = (ctx: EcsContext, key: string, amount: number): number => {
  let carry = carries.get(ctx);
  if (carry === undefined) {
    carry = new Map();
    carries.set(ctx, carry);
  }
  const total = (carry.get(key) ?? 0) + amount;
  const out = Math.floor(total + 1e-9);
  carry.set(key, total - out);
  return out;
};

interface Route {
  loadBalancer: string;
  /** Target group ARN → requests per minute. */
  perMinute: Map<string, number>;
}

const add = (map: Map<string, number>, key: string, value: number): void => {
  map.set(key, (map.get(key) ?? 0) + value);
};

const routesOf = (ctx: EcsContext, service: ServiceRecord, spec: TrafficSpec): Route[] => {
  if (isProgressive(service)) {
    return blueGreenLoadBalancers(service).map((lb) => {
      const perMinute = new Map<string, number>();
      const production = ruleWeights(ctx, lb.productionListenerRule) ?? {};
      for (const [group, weight] of Object.entries(production))
        add(perMinute, group, (spec.production * weight) / 100);
      const test =
        lb.testListenerRule === undefined ? undefined : ruleWeights(ctx, lb.testListenerRule);
      for (const [group, weight] of Object.entries(test ?? {}))
        add(perMinute, group, (spec.test * weight) / 100);
      return { loadBalancer: loadBalancerDimension(lb.productionListenerRule), perMinute };
    });
  }
  // A rolling service's target group takes all of it; its load balancer is named after the group.
  return service.loadBalancers
    .filter((lb) => typeof lb.targetGroupArn === 'string')
    .map((lb) => {
      const group = String(lb.targetGroupArn);
      const name = targetGroupDimension(group).split('/')[1] ?? service.name;
      return {
        loadBalancer: `app/${name}/${sha256Hex(group).slice(0, 16)}`,
        perMinute: new Map([[group, spec.production]]),
      };
    });
};

const count = (
  ctx: EcsContext,
  name: string,
  dims: Record<string, string>,
  at: number,
  n: number,
): void => {
  if (n > 0)
    ctx.metrics({
      namespace: NAMESPACE,
      name,
      dimensions: dims,
      at,
      count: n,
      sum: n,
      min: 1,
      max: 1,
      unit: 'Count',
    });
};

const gauge = (
  ctx: EcsContext,
  name: string,
  dims: Record<string, string>,
  at: number,
  v: number,
): void => {
  ctx.metrics({
    namespace: NAMESPACE,
    name,
    dimensions: dims,
    at,
    count: 1,
    sum: v,
    min: v,
    max: v,
    unit: 'Count',
  });
};

const latency = (
  ctx: EcsContext,
  dims: Record<string, string>,
  at: number,
  parts: { samples: [number, number][]; mean: number; n: number }[],
): void => {
  const n = parts.reduce((s, p) => s + p.n, 0);
  if (n === 0) return;
  const samples = parts.flatMap((p) => p.samples);
  const values = samples.map(([v]) => v);
  ctx.metrics({
    namespace: NAMESPACE,
    name: 'TargetResponseTime',
    dimensions: dims,
    at,
    count: n,
    sum: parts.reduce((s, p) => s + p.mean * p.n, 0),
    min: Math.min(...values),
    max: Math.max(...values),
    samples,
    unit: 'Seconds',
  });
};

const serveGroup = (
  ctx: EcsContext,
  service: ServiceRecord,
  route: Route,
  group: string,
  perMinute: number,
  at: number,
  lbTotals: {
    requests: number;
    target5xx: number;
    elb5xx: number;
    latency: { samples: [number, number][]; mean: number; n: number }[];
  },
): void => {
  const dims = { TargetGroup: targetGroupDimension(group), LoadBalancer: route.loadBalancer };
  const members = [...ctx.state.tasks.values()].filter(
    (t) =>
      t.serviceArn === service.arn &&
      t.targetGroupArn === group &&
      t.desiredStatus === 'RUNNING' &&
      t.lastStatus === 'RUNNING',
  );
  const healthy = members.filter((t) => t.healthy);
  gauge(ctx, 'HealthyHostCount', dims, at, healthy.length);
  gauge(ctx, 'UnHealthyHostCount', dims, at, members.length - healthy.length);
  const requests = whole(ctx, `${group}:requests`, (perMinute * TICK_MS) / 60_000);
  if (requests === 0) return;
  lbTotals.requests += requests;
  if (healthy.length === 0) {
    lbTotals.elb5xx += requests;
    return;
  }
  const byRevision = new Map<string, TaskRecord[]>();
  for (const t of healthy)
    byRevision.set(t.taskDefinitionArn, [...(byRevision.get(t.taskDefinitionArn) ?? []), t]);
  let target5xx = 0;
  let elb5xx = 0;
  const parts: { samples: [number, number][]; mean: number; n: number }[] = [];
  for (const [revision, tasks] of byRevision) {
    const behavior = ctx.httpBehaviors.resolve(revision);
    const share = (requests * tasks.length) / healthy.length;
    const resets = whole(ctx, `${group}:${revision}:elb`, share * behavior.elbErrorRate);
    const errors = whole(ctx, `${group}:${revision}:5xx`, (share - resets) * behavior.errorRate);
    target5xx += errors;
    elb5xx += resets;
    const { samples, mean } = latencySamples(behavior, share - resets);
    parts.push({ samples, mean, n: share - resets });
  }
  count(ctx, 'RequestCount', dims, at, requests);
  count(ctx, 'HTTPCode_Target_5XX_Count', dims, at, target5xx);
  count(ctx, 'HTTPCode_Target_2XX_Count', dims, at, requests - target5xx - elb5xx);
  latency(ctx, dims, at, parts);
  lbTotals.target5xx += target5xx;
  lbTotals.elb5xx += elb5xx;
  lbTotals.latency.push(...parts);
};

const tick = (ctx: EcsContext): void => {
  const at = ctx.clock.nowMs() - TICK_MS;
  for (const service of ctx.state.services.values()) {
    const spec = ctx.state.traffic.get(service.arn);
    if (spec === undefined || service.status !== 'ACTIVE') continue;
    for (const route of routesOf(ctx, service, spec)) {
      const totals = {
        requests: 0,
        target5xx: 0,
        elb5xx: 0,
        latency: [] as { samples: [number, number][]; mean: number; n: number }[],
      };
      for (const [group, perMinute] of route.perMinute)
        serveGroup(ctx, service, route, group, perMinute, at, totals);
      const dims = { LoadBalancer: route.loadBalancer };
      count(ctx, 'RequestCount', dims, at, totals.requests);
      count(ctx, 'HTTPCode_Target_5XX_Count', dims, at, totals.target5xx);
      count(ctx, 'HTTPCode_ELB_5XX_Count', dims, at, totals.elb5xx);
      latency(ctx, dims, at, totals.latency);
    }
  }
};

const schedule = (ctx: EcsContext): void => {
  const now = ctx.clock.nowMs();
  const nextTick = Math.floor(now / TICK_MS) * TICK_MS + TICK_MS;
  ctx.trafficTimer = ctx.clock.scheduleAt(nextTick, () => {
    delete ctx.trafficTimer;
    if (ctx.state.traffic.size === 0) return;
    tick(ctx);
    schedule(ctx);
  });
};

/** Sets (or with `undefined`, stops) the requests per minute arriving for a service. */
export const setTraffic = (
  ctx: EcsContext,
  service: ServiceRecord,
  spec: TrafficSpec | undefined,
): void => {
  if (spec === undefined) ctx.state.traffic.delete(service.arn);
  else ctx.state.traffic.set(service.arn, { ...spec });
  if (ctx.state.traffic.size === 0) {
    ctx.trafficTimer?.cancel();
    delete ctx.trafficTimer;
  } else if (ctx.trafficTimer === undefined) schedule(ctx);
};
