import * as z from 'zod/mini';
import { arn, envelope, lazy, opt, text, timestamp } from './schema-helpers.ts';

/** "ECS Container Instance State Change": EC2 capacity registered to a cluster. */
const containerInstanceStateChangeSchema = lazy(() =>
  z.looseObject({
    ...envelope(),
    'detail-type': z.literal('ECS Container Instance State Change'),
    source: z.literal('aws.ecs'),
    detail: z.looseObject({
      clusterArn: arn(),
      containerInstanceArn: arn(),
      status: text(64),
      agentConnected: z.boolean(),
      ec2InstanceId: opt(text(64)),
      version: opt(z.int().check(z.nonnegative())),
      updatedAt: opt(timestamp()),
    }),
  }),
);

type ContainerInstanceStateChangeEvent = z.infer<
  ReturnType<typeof containerInstanceStateChangeSchema>
>;

export { type ContainerInstanceStateChangeEvent, containerInstanceStateChangeSchema };
