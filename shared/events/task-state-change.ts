import * as z from 'zod';
import { arn, envelope, text, timestamp } from './schema-helpers.ts';

const container = z.looseObject({
  name: text(256),
  lastStatus: text(64).optional(),
  exitCode: z.number().int().optional(),
  reason: text(2048).optional(),
  image: text().optional(),
  imageDigest: text(256).optional(),
  containerArn: text().optional(),
});

const containerOverride = z.looseObject({
  name: text(256).optional(),
  command: z.array(text(8192)).max(1000).optional(),
  environment: z
    .array(z.looseObject({ name: text(1024).optional(), value: text(8192).optional() }))
    .max(1000)
    .optional(),
});

/** "ECS Task State Change": the detail resembles DescribeTasks' Task. */
const taskStateChangeSchema = z.looseObject({
  ...envelope,
  'detail-type': z.literal('ECS Task State Change'),
  source: z.literal('aws.ecs'),
  detail: z.looseObject({
    clusterArn: arn,
    taskArn: arn.optional(),
    taskDefinitionArn: arn.optional(),
    lastStatus: text(64),
    desiredStatus: text(64).optional(),
    group: text(512).optional(),
    startedBy: text(256).optional(),
    stopCode: text(128).optional(),
    stoppedReason: text(4096).optional(),
    version: z.number().int().nonnegative().optional(),
    launchType: text(64).optional(),
    capacityProviderName: text(256).optional(),
    containers: z.array(container).max(100).optional(),
    overrides: z
      .looseObject({ containerOverrides: z.array(containerOverride).max(100).optional() })
      .optional(),
    createdAt: timestamp.optional(),
    startedAt: timestamp.optional(),
    stoppingAt: timestamp.optional(),
    stoppedAt: timestamp.optional(),
    updatedAt: timestamp.optional(),
  }),
});

type TaskStateChangeEvent = z.infer<typeof taskStateChangeSchema>;
type TaskDetail = TaskStateChangeEvent['detail'];
type TaskContainer = NonNullable<TaskDetail['containers']>[number];

export { type TaskContainer, type TaskDetail, type TaskStateChangeEvent, taskStateChangeSchema };
