import type { ServiceState } from '#aws/ecs/state.ts';
import type { EventMeta } from '#kernel/events/parse.ts';
import type { GuardSettings } from './settings.ts';
import type { DeploymentFacts, GuardState, ServiceSnapshot } from './state.ts';

/** A service ECS describes, with the guard's settings for it. */
type DescribedSnapshot = ServiceSnapshot & { ecs: ServiceState; settings: GuardSettings };

/** Puts together what is known about one deployment of a service. */
const factsAbout = (
  meta: EventMeta,
  snapshot: DescribedSnapshot,
  deploymentId: string,
  now: Date,
): DeploymentFacts => ({
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
  settings: snapshot.settings,
  now,
  serviceDeployment: snapshot.serviceDeployments?.[deploymentId],
});

/** The snapshot of a service whose DescribeServices answer is known. */
const known = (snapshot: ServiceSnapshot | undefined): DescribedSnapshot | undefined =>
  snapshot?.ecs && snapshot.settings ? (snapshot as DescribedSnapshot) : undefined;

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

export { factsAbout, known, referencedDeployments };
