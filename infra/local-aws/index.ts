/**
 * `@harbormaster/local-aws`: an embedded AWS endpoint (ECS simulator, SNS, SSM, DynamoDB, SQS,
 * CloudWatch, EventBridge rules and Scheduler; Slack: a webhook, the Web API and signed interactions)
 * for tests and the local demo.
 */
export type { AlarmMetric, AlarmSeed, AlarmState } from './cloudwatch/cloudwatch-model.ts';
export { CloudWatchModel } from './cloudwatch/cloudwatch-model.ts';
export { AwsError } from './core/aws-error.ts';
export type { CallRecord } from './core/call-log.ts';
export { CallLog } from './core/call-log.ts';
export type { TimerHandle } from './core/clock.ts';
export { SimClock } from './core/clock.ts';
export type { EventBridgeEnvelope, EventListener } from './core/event-bus.ts';
export type {
  FaultError,
  FaultHandle,
  FaultSpec,
  RateLimitSpec,
  ServiceName,
} from './core/faults.ts';
export { FaultInjector } from './core/faults.ts';
export { type FunctionUrlEvent, functionUrlEvent } from './core/function-url.ts';
export type { Principal } from './core/identity.ts';
export { IdentityRegistry } from './core/identity.ts';
export type {
  ThrottleBucketSpec,
  ThrottleCount,
  ThrottleHandle,
} from './core/request-throttle.ts';
export { RequestThrottle } from './core/request-throttle.ts';
export type { AttributeValue, Item } from './dynamodb/attribute-values.ts';
export type { TableKeys } from './dynamodb/dynamodb-model.ts';
export { DynamoDbModel } from './dynamodb/dynamodb-model.ts';
export type {
  BehaviorFunction,
  BehaviorSpec,
  TaskBehavior,
  TaskLaunchInfo,
} from './ecs/behaviors.ts';
export type { EcsTiming } from './ecs/ecs-context.ts';
export type { TaskFilter } from './ecs/ecs-simulator.ts';
export { EcsSimulator } from './ecs/ecs-simulator.ts';
export type {
  ClusterCapacity,
  DeploymentRecord,
  PlacementReason,
  ServiceRecord,
  TaskDefinitionRecord,
  TaskRecord,
} from './ecs/ecs-types.ts';
export { ecsBucketName, FARGATE_BUCKETS } from './ecs/request-limits.ts';
export type { EventPattern } from './event-pattern.ts';
export { compilePattern, matchesPattern, validatePattern } from './event-pattern.ts';
export type { ScheduledRule } from './events/scheduled-rules.ts';
export { rateMs, ScheduledRules } from './events/scheduled-rules.ts';
export type { LocalAws, LocalAwsOptions } from './local-aws.ts';
export { startLocalAws } from './local-aws.ts';
export type {
  LocalScheduleSpec,
  ScheduleFiring,
  SchedulerPayload,
} from './scheduler/local-scheduler.ts';
export { LocalScheduler } from './scheduler/local-scheduler.ts';
export {
  alterOneByte,
  type BlockActionSpec,
  type SlackHttpRequest,
  type SlackInteraction,
  slackSignature,
} from './slack/interactions.ts';
export type { SlackLimit } from './slack/rate-limits.ts';
export type { EphemeralMessage, ResponseUrlPost } from './slack/response-urls.ts';
export { type SlackMessageView, SlackSink } from './slack/slack-sink.ts';
export type { SlackPost, SlackResponseSpec } from './slack/webhook.ts';
export type {
  SlackApp,
  SlackChannel,
  SlackMessageVersion,
  SlackUser,
  SlackUserGroup,
} from './slack/workspace.ts';
export type { SnsDelivery } from './sns/delivery.ts';
export type { FilterPolicyScope } from './sns/filter-policy.ts';
export type { PublishedMessage, SnsMessageAttribute } from './sns/sns-model.ts';
export { SnsModel } from './sns/sns-model.ts';
export type { SnsSubscription } from './sns/subscriptions.ts';
export type { SqsMessage } from './sqs/sqs-model.ts';
export { SqsModel } from './sqs/sqs-model.ts';
export type { ParameterType } from './ssm/ssm-model.ts';
export { SsmModel } from './ssm/ssm-model.ts';
