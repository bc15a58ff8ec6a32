import * as v from 'valibot';
import { arn, envelope, lazy, list, opt, text, timestamp } from './schema-helpers.ts';

/** "ECS Task State Change": the detail resembles DescribeTasks' Task. */
const taskStateChangeSchema = lazy(() => {
  const container = v.looseObject({
    name: text(256),
    lastStatus: opt(text(64)),
    exitCode: opt(v.pipe(v.number(), v.integer())),
    reason: opt(text(2048)),
    image: opt(text()),
    imageDigest: opt(text(256)),
    containerArn: opt(text()),
  });
  const containerOverride = v.looseObject({
    name: opt(text(256)),
    command: opt(list(text(8192), 1000)),
    environment: opt(list(v.looseObject({ name: opt(text(1024)), value: opt(text(8192)) }), 1000)),
  });
  return v.looseObject({
    ...envelope(),
    'detail-type': v.literal('ECS Task State Change'),
    source: v.literal('aws.ecs'),
    detail: v.looseObject({
      clusterArn: arn(),
      taskArn: opt(arn()),
      taskDefinitionArn: opt(arn()),
      lastStatus: text(64),
      desiredStatus: opt(text(64)),
      group: opt(text(512)),
      startedBy: opt(text(256)),
      stopCode: opt(text(128)),
      stoppedReason: opt(text(4096)),
      version: opt(v.pipe(v.number(), v.integer(), v.minValue(0))),
      launchType: opt(text(64)),
      capacityProviderName: opt(text(256)),
      containers: opt(list(container, 100)),
      overrides: opt(v.looseObject({ containerOverrides: opt(list(containerOverride, 100)) })),
      createdAt: opt(timestamp()),
      startedAt: opt(timestamp()),
      stoppingAt: opt(timestamp()),
      stoppedAt: opt(timestamp()),
      updatedAt: opt(timestamp()),
    }),
  });
});

type TaskStateChangeEvent = v.InferOutput<ReturnType<typeof taskStateChangeSchema>>;
type TaskDetail = TaskStateChangeEvent['detail'];
type TaskContainer = NonNullable<TaskDetail['containers']>[number];

export { type TaskContainer, type TaskDetail, type TaskStateChangeEvent, taskStateChangeSchema };
