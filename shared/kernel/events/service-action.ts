import * as v from 'valibot';
import { arn, envelope, eventType, lazy, list, opt, text, timestamp } from './schema-helpers.ts';

/** "ECS Service Action": INFO, WARN and ERROR events about one service. */
const serviceActionSchema = lazy(() => {
  const arnList = () => opt(list(text(), 1000));
  return v.looseObject({
    ...envelope(),
    'detail-type': v.literal('ECS Service Action'),
    source: v.literal('aws.ecs'),
    resources: v.pipe(list(text(), 100), v.minLength(1, 'expected the service ARN')),
    detail: v.looseObject({
      eventType: eventType(),
      eventName: text(128),
      clusterArn: arn(),
      createdAt: opt(timestamp()),
      reason: opt(text(4096)),
      deploymentId: opt(text(256)),
      desiredCount: opt(v.pipe(v.number(), v.integer())),
      capacityProviderArns: arnList(),
      containerInstanceArns: arnList(),
      taskArns: arnList(),
      targetGroupArns: arnList(),
    }),
  });
});

type ServiceActionEvent = v.InferOutput<ReturnType<typeof serviceActionSchema>>;

export { type ServiceActionEvent, serviceActionSchema };
