import * as z from 'zod';
import { arn, envelope, text, timestamp } from './schema-helpers.ts';

/** The API calls Harbormaster reacts to, as CloudTrail records them. */
const API_CALLS = ['RegisterTaskDefinition', 'CreateService', 'UpdateService', 'RunTask'] as const;

const loose = z.looseObject({});
const networkConfiguration = z
  .looseObject({
    awsvpcConfiguration: z
      .looseObject({
        subnets: z.array(text(256)).max(64).optional(),
        securityGroups: z.array(text(256)).max(64).optional(),
        assignPublicIp: z.enum(['ENABLED', 'DISABLED']).optional(),
      })
      .optional(),
  })
  .optional();

const containerDefinition = z.looseObject({ name: text(255).optional(), image: text().optional() });

const record = {
  eventVersion: text(16).optional(),
  userIdentity: loose.optional(),
  eventTime: timestamp,
  eventSource: z.literal('ecs.amazonaws.com'),
  awsRegion: text(64),
  sourceIPAddress: text(256).optional(),
  userAgent: text(4096).optional(),
  errorCode: text(256).optional(),
  errorMessage: text(4096).optional(),
  requestID: text(256).optional(),
  eventID: text(256).optional(),
  recipientAccountId: text(32).optional(),
};

// A call that failed carries errorCode and null parameters or response, so both stay nullable.
const registerTaskDefinition = z.looseObject({
  ...record,
  eventName: z.literal('RegisterTaskDefinition'),
  requestParameters: z
    .looseObject({ family: text(255), containerDefinitions: z.array(containerDefinition).max(100) })
    .nullable(),
  responseElements: z
    .looseObject({
      taskDefinition: z.looseObject({ taskDefinitionArn: arn, revision: z.number().int() }),
    })
    .nullable()
    .optional(),
});

const serviceResponse = z
  .looseObject({
    service: z.looseObject({ serviceArn: arn, taskDefinition: text().optional() }),
  })
  .nullable()
  .optional();

const createService = z.looseObject({
  ...record,
  eventName: z.literal('CreateService'),
  requestParameters: z
    .looseObject({
      serviceName: text(255),
      cluster: text().optional(),
      taskDefinition: text().optional(),
      networkConfiguration,
    })
    .nullable(),
  responseElements: serviceResponse,
});

const updateService = z.looseObject({
  ...record,
  eventName: z.literal('UpdateService'),
  requestParameters: z
    .looseObject({
      service: text(),
      cluster: text().optional(),
      taskDefinition: text().optional(),
      forceNewDeployment: z.boolean().optional(),
      networkConfiguration,
    })
    .nullable(),
  responseElements: serviceResponse,
});

const runTask = z.looseObject({
  ...record,
  eventName: z.literal('RunTask'),
  requestParameters: z
    .looseObject({
      taskDefinition: text(),
      cluster: text().optional(),
      count: z.number().int().optional(),
      startedBy: text(256).optional(),
      networkConfiguration,
    })
    .nullable(),
  responseElements: z
    .looseObject({
      tasks: z
        .array(z.looseObject({ taskArn: arn }))
        .max(10)
        .optional(),
      failures: z.array(loose).max(10).optional(),
    })
    .nullable()
    .optional(),
});

/** "AWS API Call via CloudTrail" for the ECS calls Harbormaster checks. */
const apiCallSchema = z.looseObject({
  ...envelope,
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  source: z.literal('aws.ecs'),
  detail: z.discriminatedUnion('eventName', [
    registerTaskDefinition,
    createService,
    updateService,
    runTask,
  ]),
});

type ApiCallEvent = z.infer<typeof apiCallSchema>;
type ApiCallName = (typeof API_CALLS)[number];

export { API_CALLS, type ApiCallEvent, type ApiCallName, apiCallSchema };
