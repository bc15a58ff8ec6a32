import * as z from 'zod/mini';
import { arn, envelope, eventType, lazy, list, opt, text, timestamp } from './schema-helpers.ts';

/** "ECS Service Action": INFO, WARN and ERROR events about one service. */
const serviceActionSchema = lazy(() => {
  const arnList = () => opt(list(text(), 1000));
  return z.looseObject({
    ...envelope(),
    'detail-type': z.literal('ECS Service Action'),
    source: z.literal('aws.ecs'),
    resources: list(text(), 100).check(z.minLength(1, 'expected the service ARN')),
    detail: z.looseObject({
      eventType: eventType(),
      eventName: text(128),
      clusterArn: arn(),
      createdAt: opt(timestamp()),
      reason: opt(text(4096)),
      deploymentId: opt(text(256)),
      desiredCount: opt(z.int()),
      capacityProviderArns: arnList(),
      containerInstanceArns: arnList(),
      taskArns: arnList(),
      targetGroupArns: arnList(),
    }),
  });
});

type ServiceActionEvent = z.infer<ReturnType<typeof serviceActionSchema>>;

export { type ServiceActionEvent, serviceActionSchema };
