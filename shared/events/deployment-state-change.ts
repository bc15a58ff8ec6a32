import * as z from 'zod/mini';
import { arn, envelope, eventType, lazy, list, opt, text, timestamp } from './schema-helpers.ts';

/** "ECS Deployment State Change" for rolling deployments; the service is named only in resources[0]. */
const deploymentStateChangeSchema = lazy(() =>
  z.looseObject({
    ...envelope(),
    'detail-type': z.literal('ECS Deployment State Change'),
    source: z.literal('aws.ecs'),
    resources: list(text(), 100).check(z.minLength(1, 'expected the service ARN')),
    detail: z.looseObject({
      eventType: eventType(),
      eventName: text(128),
      deploymentId: text(256),
      updatedAt: timestamp(),
      reason: opt(text(4096)),
      clusterArn: opt(arn()),
    }),
  }),
);

type DeploymentStateChangeEvent = z.infer<ReturnType<typeof deploymentStateChangeSchema>>;

export { type DeploymentStateChangeEvent, deploymentStateChangeSchema };
