import * as z from 'zod';
import { eventType } from './deployment-state-change.ts';
import { arn, envelope, text, timestamp } from './schema-helpers.ts';

const arnList = z.array(text()).max(1000).optional();

/** "ECS Service Action": INFO, WARN and ERROR events about one service. */
const serviceActionSchema = z.looseObject({
  ...envelope,
  'detail-type': z.literal('ECS Service Action'),
  source: z.literal('aws.ecs'),
  resources: z.array(text()).min(1, 'expected the service ARN').max(100),
  detail: z.looseObject({
    eventType,
    eventName: text(128),
    clusterArn: arn,
    createdAt: timestamp.optional(),
    reason: text(4096).optional(),
    deploymentId: text(256).optional(),
    desiredCount: z.number().int().optional(),
    capacityProviderArns: arnList,
    containerInstanceArns: arnList,
    taskArns: arnList,
    targetGroupArns: arnList,
  }),
});

type ServiceActionEvent = z.infer<typeof serviceActionSchema>;

export { type ServiceActionEvent, serviceActionSchema };
