import * as v from 'valibot';
import { arn, envelope, lazy, opt, text, timestamp } from './schema-helpers.ts';

/** "ECS Container Instance State Change": EC2 capacity registered to a cluster. */
const containerInstanceStateChangeSchema = lazy(() =>
  v.looseObject({
    ...envelope(),
    'detail-type': v.literal('ECS Container Instance State Change'),
    source: v.literal('aws.ecs'),
    detail: v.looseObject({
      clusterArn: arn(),
      containerInstanceArn: arn(),
      status: text(64),
      agentConnected: v.boolean(),
      ec2InstanceId: opt(text(64)),
      version: opt(v.pipe(v.number(), v.integer(), v.minValue(0))),
      updatedAt: opt(timestamp()),
    }),
  }),
);

type ContainerInstanceStateChangeEvent = v.InferOutput<
  ReturnType<typeof containerInstanceStateChangeSchema>
>;

export { type ContainerInstanceStateChangeEvent, containerInstanceStateChangeSchema };
