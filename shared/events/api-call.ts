import * as z from 'zod/mini';
import { arn, envelope, lazy, list, opt, text, timestamp } from './schema-helpers.ts';

/** The API calls Harbormaster reacts to, as CloudTrail records them. */
const API_CALLS = ['RegisterTaskDefinition', 'CreateService', 'UpdateService', 'RunTask'] as const;

/** "AWS API Call via CloudTrail" for the ECS calls Harbormaster checks. */
const apiCallSchema = lazy(() => {
  const loose = z.looseObject({});
  const networkConfiguration = opt(
    z.looseObject({
      awsvpcConfiguration: opt(
        z.looseObject({
          subnets: opt(list(text(256), 64)),
          securityGroups: opt(list(text(256), 64)),
          assignPublicIp: opt(z.enum(['ENABLED', 'DISABLED'])),
        }),
      ),
    }),
  );
  const containerDefinition = z.looseObject({ name: opt(text(255)), image: opt(text()) });
  const record = {
    eventVersion: opt(text(16)),
    userIdentity: opt(loose),
    eventTime: timestamp(),
    eventSource: z.literal('ecs.amazonaws.com'),
    awsRegion: text(64),
    sourceIPAddress: opt(text(256)),
    userAgent: opt(text(4096)),
    errorCode: opt(text(256)),
    errorMessage: opt(text(4096)),
    requestID: opt(text(256)),
    eventID: opt(text(256)),
    recipientAccountId: opt(text(32)),
  };
  const serviceResponse = opt(
    z.nullable(
      z.looseObject({ service: z.looseObject({ serviceArn: arn(), taskDefinition: opt(text()) }) }),
    ),
  );

  // A call that failed carries errorCode and null parameters or response, so both stay nullable.
  // CloudTrail truncates oversized fields (marking them "omitted"), so the definition may be partial.
  const registerTaskDefinition = z.looseObject({
    ...record,
    eventName: z.literal('RegisterTaskDefinition'),
    requestParameters: z.nullable(
      z.looseObject({
        family: opt(text(255)),
        containerDefinitions: opt(list(containerDefinition, 100)),
      }),
    ),
    responseElements: opt(
      z.nullable(
        z.looseObject({
          taskDefinition: z.looseObject({ taskDefinitionArn: arn(), revision: z.int() }),
        }),
      ),
    ),
  });
  const createService = z.looseObject({
    ...record,
    eventName: z.literal('CreateService'),
    requestParameters: z.nullable(
      z.looseObject({
        serviceName: text(255),
        cluster: opt(text()),
        taskDefinition: opt(text()),
        networkConfiguration,
      }),
    ),
    responseElements: serviceResponse,
  });
  const updateService = z.looseObject({
    ...record,
    eventName: z.literal('UpdateService'),
    requestParameters: z.nullable(
      z.looseObject({
        service: text(),
        cluster: opt(text()),
        taskDefinition: opt(text()),
        forceNewDeployment: opt(z.boolean()),
        networkConfiguration,
      }),
    ),
    responseElements: serviceResponse,
  });
  const runTask = z.looseObject({
    ...record,
    eventName: z.literal('RunTask'),
    requestParameters: z.nullable(
      z.looseObject({
        taskDefinition: text(),
        cluster: opt(text()),
        count: opt(z.int()),
        startedBy: opt(text(256)),
        networkConfiguration,
      }),
    ),
    responseElements: opt(
      z.nullable(
        z.looseObject({
          tasks: opt(list(z.looseObject({ taskArn: arn() }), 10)),
          failures: opt(list(loose, 10)),
        }),
      ),
    ),
  });
  return z.looseObject({
    ...envelope(),
    'detail-type': z.literal('AWS API Call via CloudTrail'),
    source: z.literal('aws.ecs'),
    detail: z.discriminatedUnion('eventName', [
      registerTaskDefinition,
      createService,
      updateService,
      runTask,
    ]),
  });
});

type ApiCallEvent = z.infer<ReturnType<typeof apiCallSchema>>;
type ApiCallName = (typeof API_CALLS)[number];

export { API_CALLS, type ApiCallEvent, type ApiCallName, apiCallSchema };
