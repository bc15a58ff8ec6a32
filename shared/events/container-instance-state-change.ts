import * as z from 'zod';
import { arn, envelope, text, timestamp } from './schema-helpers.ts';

/** "ECS Container Instance State Change": EC2 capacity registered to a cluster. */
const containerInstanceStateChangeSchema = z.looseObject({
  ...envelope,
  'detail-type': z.literal('ECS Container Instance State Change'),
  source: z.literal('aws.ecs'),
  detail: z.looseObject({
    clusterArn: arn,
    containerInstanceArn: arn,
    status: text(64),
    agentConnected: z.boolean(),
    ec2InstanceId: text(64).optional(),
    version: z.number().int().nonnegative().optional(),
    updatedAt: timestamp.optional(),
  }),
});

type ContainerInstanceStateChangeEvent = z.infer<typeof containerInstanceStateChangeSchema>;

export { type ContainerInstanceStateChangeEvent, containerInstanceStateChangeSchema };
