import * as v from 'valibot';
import { arn, envelope, lazy, list, opt, text, timestamp } from './schema-helpers.ts';

/** The API calls Harbormaster reacts to, as CloudTrail records them. */
const API_CALLS = ['RegisterTaskDefinition', 'CreateService', 'UpdateService', 'RunTask'] as const;

/** "AWS API Call via CloudTrail" for the ECS calls Harbormaster checks. */
const apiCallSchema = lazy(() => {
  const loose = v.looseObject({});
  const networkConfiguration = opt(
    v.looseObject({
      awsvpcConfiguration: opt(
        v.looseObject({
          subnets: opt(list(text(256), 64)),
          securityGroups: opt(list(text(256), 64)),
          assignPublicIp: opt(v.picklist(['ENABLED', 'DISABLED'])),
        }),
      ),
    }),
  );
  const containerDefinition = v.looseObject({ name: opt(text(255)), image: opt(text()) });
  const record = {
    eventVersion: opt(text(16)),
    // The caller: its ARN decides whether a call is Harbormaster's own (enforcement.ownPrincipals).
    userIdentity: opt(
      v.looseObject({ type: opt(text(64)), arn: opt(text()), principalId: opt(text(256)) }),
    ),
    eventTime: timestamp(),
    eventSource: v.literal('ecs.amazonaws.com'),
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
    v.nullable(
      v.looseObject({ service: v.looseObject({ serviceArn: arn(), taskDefinition: opt(text()) }) }),
    ),
  );

  // A call that failed carries errorCode and null parameters or response, so both stay nullable.
  // CloudTrail truncates oversized fields (marking them "omitted"), so the definition may be partial.
  const registerTaskDefinition = v.looseObject({
    ...record,
    eventName: v.literal('RegisterTaskDefinition'),
    requestParameters: v.nullable(
      v.looseObject({
        family: opt(text(255)),
        containerDefinitions: opt(list(containerDefinition, 100)),
      }),
    ),
    responseElements: opt(
      v.nullable(
        v.looseObject({
          taskDefinition: v.looseObject({
            taskDefinitionArn: arn(),
            revision: v.pipe(v.number(), v.integer()),
          }),
        }),
      ),
    ),
  });
  const createService = v.looseObject({
    ...record,
    eventName: v.literal('CreateService'),
    requestParameters: v.nullable(
      v.looseObject({
        serviceName: text(255),
        cluster: opt(text()),
        taskDefinition: opt(text()),
        networkConfiguration,
      }),
    ),
    responseElements: serviceResponse,
  });
  const updateService = v.looseObject({
    ...record,
    eventName: v.literal('UpdateService'),
    requestParameters: v.nullable(
      v.looseObject({
        service: text(),
        cluster: opt(text()),
        taskDefinition: opt(text()),
        forceNewDeployment: opt(v.boolean()),
        networkConfiguration,
      }),
    ),
    responseElements: serviceResponse,
  });
  const runTask = v.looseObject({
    ...record,
    eventName: v.literal('RunTask'),
    requestParameters: v.nullable(
      v.looseObject({
        taskDefinition: text(),
        cluster: opt(text()),
        count: opt(v.pipe(v.number(), v.integer())),
        startedBy: opt(text(256)),
        networkConfiguration,
      }),
    ),
    responseElements: opt(
      v.nullable(
        v.looseObject({
          tasks: opt(list(v.looseObject({ taskArn: arn() }), 10)),
          failures: opt(list(loose, 10)),
        }),
      ),
    ),
  });
  return v.looseObject({
    ...envelope(),
    'detail-type': v.literal('AWS API Call via CloudTrail'),
    source: v.literal('aws.ecs'),
    detail: v.variant('eventName', [registerTaskDefinition, createService, updateService, runTask]),
  });
});

type ApiCallEvent = v.InferOutput<ReturnType<typeof apiCallSchema>>;
type ApiCallName = (typeof API_CALLS)[number];

export { API_CALLS, type ApiCallEvent, type ApiCallName, apiCallSchema };
