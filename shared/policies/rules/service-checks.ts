import type { ServiceDocument } from '#aws/ecs/service-document.ts';
import { clusterName } from '#kernel/events/arn.ts';
import { show } from '../documents.ts';
import type { FieldPath, Violation } from '../types.ts';

/** A violation in the service document. */
const serviceViolation = (message: string, path: FieldPath): Violation => ({
  message,
  location: { target: 'service', path },
});

/** True for services whose deployments ECS's rolling-update controller runs (the default). */
const usesEcsController = (service: ServiceDocument): boolean => {
  const type = service.deploymentController?.type;
  return type === undefined || type === 'ECS';
};

/** True for daemon services (one task per instance; no replica-based deployment settings). */
const isDaemon = (service: ServiceDocument): boolean => service.schedulingStrategy === 'DAEMON';

/** "cluster/service" for messages and for matching service globs. */
const serviceKey = (service: ServiceDocument): string =>
  `${typeof service.clusterArn === 'string' ? clusterName(service.clusterArn) : 'default'}/${show(service.serviceName ?? '')}`;

export { isDaemon, serviceKey, serviceViolation, usesEcsController };
