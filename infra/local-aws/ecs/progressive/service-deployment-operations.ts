import { compact, type JsonObject, readInput } from '../../core/input.ts';
import { epochSeconds } from '../../core/time-format.ts';
import { type EcsContext, ecsErrors, requireCluster, serviceNameOf } from '../ecs-context.ts';
import { counts } from '../service-views.ts';
import { requestRollback, serviceOfDeployment } from './deployment-engine.ts';
import { deploymentsOf } from './deployment-start.ts';
import { continuePauseHook } from './lifecycle-hooks.ts';
import { blueGreenLoadBalancers, ruleWeights } from './listener-rules.ts';
import type { ServiceDeploymentRecord, ServiceDeploymentStatus } from './progressive-types.ts';

const STATUSES = new Set<string>([
  'PENDING',
  'IN_PROGRESS',
  'SUCCESSFUL',
  'STOPPED',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
]);
// "Stoppable states": the stop-service-deployment page.
const STOPPABLE = new Set<ServiceDeploymentStatus>(['PENDING', 'IN_PROGRESS']);
const ALREADY_STOPPING = new Set<ServiceDeploymentStatus>([
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
]);

const requireDeployment = (ctx: EcsContext, arn: string): ServiceDeploymentRecord => {
  const d = ctx.state.serviceDeployments.get(arn);
  if (d === undefined) throw ecsErrors.serviceDeploymentNotFound();
  return d;
};

/** A ServiceRevisionSummary: task counts and the requested weights of the revision's group. */
const revisionSummary = (ctx: EcsContext, d: ServiceDeploymentRecord, arn: string): JsonObject => {
  const revision = ctx.state.serviceRevisions.get(arn);
  const service = serviceOfDeployment(ctx, d);
  const deployment = service?.deployments.find((x) => x.id === revision?.deploymentId);
  const tasks = [...ctx.state.tasks.values()].filter(
    (t) => t.deploymentId === revision?.deploymentId,
  );
  const { running, pending } = counts(tasks);
  const lb = service === undefined ? undefined : blueGreenLoadBalancers(service)[0];
  const group = revision?.targetGroupArn;
  const weight = (rule: string | undefined): number | undefined =>
    rule === undefined || group === undefined ? undefined : (ruleWeights(ctx, rule)?.[group] ?? 0);
  return compact({
    arn,
    requestedTaskCount: deployment?.desiredCount ?? 0,
    runningTaskCount: running,
    pendingTaskCount: pending,
    requestedTestTrafficWeight: weight(lb?.testListenerRule),
    requestedProductionTrafficWeight: weight(lb?.productionListenerRule),
  });
};

const deploymentView = (ctx: EcsContext, d: ServiceDeploymentRecord): JsonObject =>
  compact({
    serviceDeploymentArn: d.arn,
    serviceArn: d.serviceArn,
    clusterArn: d.clusterArn,
    createdAt: epochSeconds(d.createdAt),
    startedAt: d.startedAt === undefined ? undefined : epochSeconds(d.startedAt),
    finishedAt: d.finishedAt === undefined ? undefined : epochSeconds(d.finishedAt),
    stoppedAt: d.stoppedAt === undefined ? undefined : epochSeconds(d.stoppedAt),
    updatedAt: epochSeconds(d.updatedAt),
    sourceServiceRevisions: d.sourceRevisionArns.map((arn) => revisionSummary(ctx, d, arn)),
    targetServiceRevision: revisionSummary(ctx, d, d.targetRevisionArn),
    status: d.status,
    statusReason: d.statusReason,
    lifecycleStage: d.lifecycleStage,
    lifecycleHookDetails: d.hooks.map((h) =>
      compact({
        hookId: h.hookId,
        targetType: h.hook.targetType,
        targetArn: h.hook.hookTargetArn,
        status: h.status,
        expiresAt: epochSeconds(h.expiresAt),
        timeoutAction: h.hook.timeoutAction,
      }),
    ),
    deploymentConfiguration: d.deploymentConfiguration,
    rollback:
      d.rollback === undefined
        ? undefined
        : compact({
            reason: d.rollback.reason,
            startedAt: epochSeconds(d.rollback.startedAt),
            serviceRevisionArn: d.rollback.serviceRevisionArn,
          }),
  });

/** ListServiceDeployments: a service's deployments, newest first, 20 a page by default (≤ 100). */
export const listServiceDeployments = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const ref = read.str('service');
  const fromArn = /^arn:[^:]+:ecs:[^:]*:\d*:service\/([^/]+)\/[^/]+$/.exec(ref)?.[1];
  const cluster = requireCluster(ctx, read.optStr('cluster') ?? fromArn);
  const service = ctx.state.services.get(`${cluster.name}/${serviceNameOf(ref)}`);
  if (service === undefined) throw ecsErrors.serviceNotFound();
  const statuses = read.optStrArr('status');
  for (const status of statuses ?? [])
    if (!STATUSES.has(status)) throw ecsErrors.invalid(`Invalid status: ${status}.`);
  const created = read.optObj('createdAt') ?? {};
  const bound = (key: string): number | undefined =>
    typeof created[key] === 'number' ? (created[key] as number) * 1000 : undefined;
  const [before, after] = [bound('before'), bound('after')];
  const maxResults = read.optNum('maxResults');
  if (
    maxResults !== undefined &&
    (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100)
  )
    throw ecsErrors.invalid('maxResults must be between 1 and 100.');
  const all = deploymentsOf(ctx, service)
    .filter((d) => statuses === undefined || statuses.includes(d.status))
    .filter((d) => before === undefined || d.createdAt <= before)
    .filter((d) => after === undefined || d.createdAt >= after)
    .reverse();
  const token = read.optStr('nextToken');
  const offset = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw ecsErrors.invalid('Invalid nextToken.');
  const size = maxResults ?? 20;
  const slice = all.slice(offset, offset + size);
  return compact({
    serviceDeployments: slice.map((d) =>
      compact({
        serviceDeploymentArn: d.arn,
        serviceArn: d.serviceArn,
        clusterArn: d.clusterArn,
        startedAt: d.startedAt === undefined ? undefined : epochSeconds(d.startedAt),
        createdAt: epochSeconds(d.createdAt),
        finishedAt: d.finishedAt === undefined ? undefined : epochSeconds(d.finishedAt),
        targetServiceRevisionArn: d.targetRevisionArn,
        status: d.status,
        statusReason: d.statusReason,
      }),
    ),
    nextToken:
      offset + size < all.length
        ? Buffer.from(String(offset + size)).toString('base64url')
        : undefined,
  });
};

/** DescribeServiceDeployments: at most 20 ARNs; unknown ones are `MISSING` failures. */
export const describeServiceDeployments = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const arns = read.optStrArr('serviceDeploymentArns');
  if (arns === undefined) read.str('serviceDeploymentArns');
  if (arns === undefined || arns.length === 0)
    throw ecsErrors.invalid('serviceDeploymentArns cannot be empty.');
  if (arns.length > 20)
    throw ecsErrors.invalid('You can specify a maximum of 20 service deployment ARNs.');
  const serviceDeployments: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const arn of arns) {
    const d = ctx.state.serviceDeployments.get(arn);
    if (d === undefined) failures.push({ arn, reason: 'MISSING' });
    else serviceDeployments.push(deploymentView(ctx, d));
  }
  return { serviceDeployments, failures };
};

/** StopServiceDeployment(ROLLBACK): rolls back a PENDING or IN_PROGRESS deployment. */
export const stopServiceDeployment = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const arn = read.str('serviceDeploymentArn');
  const stopType = read.optStr('stopType') ?? 'ROLLBACK';
  // "The valid values are ROLLBACK."
  if (stopType !== 'ROLLBACK') throw ecsErrors.invalid('stopType: the valid values are ROLLBACK.');
  const d = requireDeployment(ctx, arn);
  if (STOPPABLE.has(d.status))
    requestRollback(ctx, d, 'StopServiceDeployment requested a rollback.');
  else if (!ALREADY_STOPPING.has(d.status))
    throw ecsErrors.conflict(`The service deployment is ${d.status} and cannot be stopped.`, [arn]);
  return { serviceDeploymentArn: arn };
};

/** ContinueServiceDeployment: acts on a pause hook that awaits action (both ids required). */
export const continueServiceDeployment = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const arn = read.str('serviceDeploymentArn');
  const hookId = read.str('hookId');
  const action = read.optStr('action') ?? 'CONTINUE';
  if (action !== 'CONTINUE' && action !== 'ROLLBACK')
    throw ecsErrors.invalid('action: valid values are ROLLBACK and CONTINUE.');
  const d = requireDeployment(ctx, arn);
  const exec = d.hookHistory.find((h) => h.hookId === hookId);
  if (exec === undefined || exec.hook.targetType !== 'PAUSE')
    throw ecsErrors.invalid(`The hook ${hookId} is not a pause hook of this service deployment.`);
  // "You can continue a deployment that has a pause hook in AWAITING_ACTION status. The deployment
  // must be in the IN_PROGRESS state."
  if (d.status !== 'IN_PROGRESS')
    throw ecsErrors.client(`The service deployment is ${d.status}, not IN_PROGRESS.`);
  if (exec.status !== 'AWAITING_ACTION')
    throw ecsErrors.client(`The hook ${hookId} is ${exec.status}, not AWAITING_ACTION.`);
  continuePauseHook(ctx, d, exec, action);
  return { serviceDeploymentArn: arn };
};
