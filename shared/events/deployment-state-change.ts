import * as z from 'zod';
import { arn, envelope, text, timestamp } from './schema-helpers.ts';

const eventType = z.enum(['INFO', 'WARN', 'ERROR']);

/** "ECS Deployment State Change" for rolling deployments; the service is named only in resources[0]. */
const deploymentStateChangeSchema = z.looseObject({
  ...envelope,
  'detail-type': z.literal('ECS Deployment State Change'),
  source: z.literal('aws.ecs'),
  resources: z.array(text()).min(1, 'expected the service ARN').max(100),
  detail: z.looseObject({
    eventType,
    eventName: text(128),
    deploymentId: text(256),
    updatedAt: timestamp,
    reason: text(4096).optional(),
    clusterArn: arn.optional(),
  }),
});

type DeploymentStateChangeEvent = z.infer<typeof deploymentStateChangeSchema>;

export { type DeploymentStateChangeEvent, deploymentStateChangeSchema, eventType };
