import { AwsError } from '../core/aws-error.ts';
import { randomHex } from '../core/ids.ts';
import { compact, isObject, type JsonObject, readInput } from '../core/input.ts';
import {
  clusterArn,
  clusterNameOf,
  type EcsContext,
  ecsErrors,
  requireCluster,
} from './ecs-context.ts';
import type { ClusterRecord } from './ecs-types.ts';
import { page } from './paging.ts';
import { parseTags } from './tag-operations.ts';
import { tagsView } from './task-views.ts';

/** The cluster as CreateCluster/DescribeClusters return it. */
export const clusterView = (
  ctx: EcsContext,
  cluster: ClusterRecord,
  include: string[] = ['TAGS'],
): JsonObject => {
  let running = 0;
  let pending = 0;
  for (const task of ctx.state.tasks.values()) {
    if (task.clusterArn !== cluster.arn) continue;
    if (task.lastStatus === 'RUNNING') running += 1;
    else if (task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING') pending += 1;
  }
  const services = [...ctx.state.services.values()].filter(
    (s) => s.clusterArn === cluster.arn && s.status === 'ACTIVE',
  );
  return compact({
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: cluster.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: running,
    pendingTasksCount: pending,
    activeServicesCount: services.length,
    statistics: [],
    tags: include.includes('TAGS') ? tagsView(cluster.tags) : undefined,
    settings: cluster.settings,
    capacityProviders: cluster.capacityProviders,
    defaultCapacityProviderStrategy: cluster.defaultCapacityProviderStrategy,
  });
};

/** CreateCluster (returns the existing cluster when it already exists). */
export const createCluster = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const name = read.optStr('clusterName') ?? 'default';
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
    throw ecsErrors.invalid(
      'Cluster name can only contain letters, numbers, hyphens and underscores.',
    );
  }
  const existing = ctx.state.clusters.get(name);
  if (existing?.status === 'ACTIVE') return { cluster: clusterView(ctx, existing) };
  const settings = (read.optArr('settings') ?? []).filter(isObject);
  const cluster: ClusterRecord = {
    arn: clusterArn(ctx, name),
    name,
    status: 'ACTIVE',
    createdAt: ctx.clock.nowMs(),
    tags: parseTags(read.optArr('tags')),
    settings: settings.length > 0 ? settings : [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: read.optStrArr('capacityProviders') ?? [],
    defaultCapacityProviderStrategy: (read.optArr('defaultCapacityProviderStrategy') ?? []).filter(
      isObject,
    ),
    capacity: existing?.capacity ?? {},
    containerInstanceArn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:container-instance/${name}/${randomHex(32)}`,
  };
  ctx.state.clusters.set(name, cluster);
  return { cluster: clusterView(ctx, cluster) };
};

/** DescribeClusters (unknown clusters are reported as MISSING failures). */
export const describeClusters = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const refs = read.optStrArr('clusters') ?? ['default'];
  if (refs.length > 100) throw ecsErrors.invalid('Clusters cannot have more than 100 elements');
  const include = read.optStrArr('include') ?? [];
  const clusters: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const ref of refs) {
    const cluster = ctx.state.clusters.get(clusterNameOf(ref));
    if (cluster === undefined)
      failures.push({
        arn: ref.startsWith('arn:') ? ref : clusterArn(ctx, ref),
        reason: 'MISSING',
      });
    else clusters.push(clusterView(ctx, cluster, include));
  }
  return { clusters, failures };
};

/** ListClusters. */
export const listClusters = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const arns = [...ctx.state.clusters.values()]
    .filter((c) => c.status === 'ACTIVE')
    .map((c) => c.arn);
  const { items, nextToken } = page(arns, read.optNum('maxResults'), read.optStr('nextToken'), 100);
  return compact({ clusterArns: items, nextToken });
};

/** DeleteCluster (refused while services or tasks are active). */
export const deleteCluster = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const cluster = requireCluster(ctx, readInput(input, ecsErrors.invalid).str('cluster'));
  if (
    [...ctx.state.services.values()].some(
      (s) => s.clusterArn === cluster.arn && s.status !== 'INACTIVE',
    )
  ) {
    throw new AwsError(
      'ClusterContainsServicesException',
      'The Cluster cannot be deleted while Services are active.',
    );
  }
  if (
    [...ctx.state.tasks.values()].some(
      (t) => t.clusterArn === cluster.arn && t.lastStatus !== 'STOPPED',
    )
  ) {
    throw new AwsError(
      'ClusterContainsTasksException',
      'The Cluster cannot be deleted while Tasks are active.',
    );
  }
  cluster.status = 'INACTIVE';
  return { cluster: clusterView(ctx, cluster) };
};
