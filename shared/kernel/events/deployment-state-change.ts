import * as v from 'valibot';
import { arn, envelope, eventType, lazy, list, opt, text, timestamp } from './schema-helpers.ts';

/** "ECS Deployment State Change" for rolling deployments; the service is named only in resources[0]. */
const deploymentStateChangeSchema = lazy(() =>
  v.looseObject({
    ...envelope(),
    'detail-type': v.literal('ECS Deployment State Change'),
    source: v.literal('aws.ecs'),
    resources: v.pipe(list(text(), 100), v.minLength(1, 'expected the service ARN')),
    detail: v.looseObject({
      eventType: eventType(),
      eventName: text(128),
      deploymentId: text(256),
      updatedAt: timestamp(),
      reason: opt(text(4096)),
      clusterArn: opt(arn()),
    }),
  }),
);

type DeploymentStateChangeEvent = v.InferOutput<ReturnType<typeof deploymentStateChangeSchema>>;

export { type DeploymentStateChangeEvent, deploymentStateChangeSchema };
