import type { ServiceState } from '#aws/ecs/state.ts';
import type { EventMeta } from '#kernel/events/parse.ts';
import type { DeploymentGuardConfig } from './config.ts';
import { resolveGuardSettings } from './settings.ts';
import type { GuardState, Judged, ServiceSnapshot } from './state.ts';

/** Puts together what is known about one deployment of a service. */
const judge = (
  meta: EventMeta,
  snapshot: ServiceSnapshot & { ecs: ServiceState },
  deploymentId: string,
  config: DeploymentGuardConfig,
  now: Date,
): Judged => ({
  account: meta.account,
  region: meta.region,
  cluster: snapshot.cluster,
  service: snapshot.service,
  deploymentId,
  ecs: snapshot.ecs,
  deployment: snapshot.ecs.deployments.find((d) => d.id === deploymentId),
  watch: snapshot.history.watches.find((w) => w.deploymentId === deploymentId),
  history: snapshot.history,
  stoppedTasks: snapshot.stoppedTasks,
  settings: resolveGuardSettings(config, snapshot.cluster, snapshot.service, snapshot.ecs),
  now,
});

/** The snapshot of a service whose DescribeServices answer is known. */
const known = (
  snapshot: ServiceSnapshot | undefined,
): (ServiceSnapshot & { ecs: ServiceState }) | undefined =>
  snapshot?.ecs ? (snapshot as ServiceSnapshot & { ecs: ServiceState }) : undefined;

/** Each deployment the state holds a reference to, with its watch and its service as ECS describes it. */
const referencedDeployments = (state: GuardState) =>
  state.refs.map((ref) => {
    const snapshot = state.services.find(
      (s) => s.cluster === ref.cluster && s.service === ref.service,
    );
    return {
      ref,
      watch: snapshot?.history.watches.find((w) => w.deploymentId === ref.deploymentId),
      described: known(snapshot),
    };
  });

export { judge, known, referencedDeployments };
