import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchModel } from './cloudwatch/cloudwatch-model.ts';
import { Activity } from './core/activity.ts';
import { CallLog } from './core/call-log.ts';
import { SimClock } from './core/clock.ts';
import { type EventBridgeEnvelope, EventBus, type EventListener } from './core/event-bus.ts';
import { FaultInjector } from './core/faults.ts';
import { DEFAULT_ACCESS_KEY_ID, IdentityRegistry } from './core/identity.ts';
import { LambdaFunctions } from './core/lambda-functions.ts';
import { RequestThrottle } from './core/request-throttle.ts';
import { DynamoDbModel } from './dynamodb/dynamodb-model.ts';
import { EcsSimulator } from './ecs/ecs-simulator.ts';
import { ecsRequestBuckets, fargateRunTaskBuckets } from './ecs/request-limits.ts';
import { ScheduledRules } from './events/scheduled-rules.ts';
import { LocalScheduler } from './scheduler/local-scheduler.ts';
import { createEndpoint } from './server/http-server.ts';
import { SlackSink } from './slack/slack-sink.ts';
import { SnsModel } from './sns/sns-model.ts';
import { snsWire } from './sns/sns-wire.ts';
import { SqsModel } from './sqs/sqs-model.ts';
import { SsmModel } from './ssm/ssm-model.ts';

/** Options of `startLocalAws`. */
export interface LocalAwsOptions {
  /** TCP port on 127.0.0.1 (a free one by default). */
  port?: number;
  region?: string;
  accountId?: string;
  /** Simulated start time (the wall clock by default). */
  now?: Date;
  /** Access key id → principal ARN, for CloudTrail `userIdentity` and `registeredBy`. */
  principals?: Record<string, string>;
  /**
   * Every event listener that calls the endpoint wraps that work in `track` before it returns (a
   * Lambda host does): after each timer only tracked work is awaited, so the many events no
   * listener acts on cost no wait for untracked calls to connect (a real-time timer phase each).
   */
  listenersTrackWork?: boolean;
}

/** A running local AWS endpoint and the models behind it. */
export interface LocalAws {
  url: string;
  region: string;
  accountId: string;
  /** Environment for code under test: region, credentials and per-service endpoint URLs. */
  env: Record<string, string>;
  clock: SimClock;
  ecs: EcsSimulator;
  /**
   * The Lambda functions AWS services invoke (ECS lifecycle hooks): the host registers a handler
   * per function with `lambda.onInvoke(functionArn, handler)`; `lambda.invocations` logs them.
   */
  lambda: LambdaFunctions;
  /** EventBridge Scheduler: schedules fire on the simulated clock and invoke their targets. */
  scheduler: LocalScheduler;
  sns: SnsModel;
  ssm: SsmModel;
  dynamodb: DynamoDbModel;
  sqs: SqsModel;
  cloudwatch: CloudWatchModel;
  /** EventBridge scheduled rules (`rate(...)`), emitting "Scheduled Event"s on the clock. */
  schedules: ScheduledRules;
  slack: SlackSink;
  faults: FaultInjector;
  /**
   * Request throttling on the simulated clock: ECS's documented token buckets (and Fargate's
   * RunTask limits) are on by default. `setLimits(name, ...)` raises or lowers one, `disable()`
   * turns them off, `counts()`/`summary()` tell calls and throttled calls per operation.
   */
  throttle: RequestThrottle;
  calls: CallLog;
  identities: IdentityRegistry;
  /** Every event emitted so far, oldest first. */
  readonly events: readonly EventBridgeEnvelope[];
  /** Subscribes to emitted events (ECS, CloudTrail, CloudWatch alarms); returns unsubscribe. */
  onEvent(listener: EventListener): () => void;
  /** Resolves once requests made by listeners (and whatever they chain) have been answered. */
  settle(): Promise<void>;
  /** Counts work done outside HTTP requests (a hosted Lambda invocation) as activity to settle. */
  track<T>(work: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Starts the endpoint on 127.0.0.1 and returns it with its models. */
export const startLocalAws = async (options: LocalAwsOptions = {}): Promise<LocalAws> => {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const clock = new SimClock(options.now ?? new Date());
  const bus = new EventBus({ account: accountId, region, now: () => clock.nowMs() });
  const identities = new IdentityRegistry(accountId, options.principals);
  const activity = new Activity();
  let seenEvents = 0;
  // After a timer that emitted events to listeners (or started tracked work, such as a schedule's
  // Lambda invocation), give their HTTP calls time to land at this simulated instant before the
  // next timer runs.
  clock.setQuiesce(async () => {
    const emitted = bus.events.length !== seenEvents;
    seenEvents = bus.events.length;
    const untracked = emitted && bus.listenerCount > 0 && !options.listenersTrackWork;
    if (untracked || activity.inFlight > 0) await activity.settle(5, untracked);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  });
  const server = createServer({ keepAlive: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base = { region, accountId, clock };
  const track = <T>(work: Promise<T>): Promise<T> => {
    const end = activity.begin();
    return work.finally(end);
  };
  const lambda = new LambdaFunctions(() => clock.now());
  const cloudwatch = new CloudWatchModel({ ...base, bus });
  const ecs = new EcsSimulator({
    ...base,
    bus,
    identities,
    lambda,
    track,
    metrics: ({ namespace, name, dimensions, unit: _unit, ...datum }) =>
      cloudwatch.publish({ namespace, name, dimensions }, datum),
  });
  const scheduler = new LocalScheduler(base);
  const sqs = new SqsModel({ ...base, baseUrl: url });
  const sns = new SnsModel({
    ...base,
    targets: {
      // SNS sends to a subscribed queue as the SNS service principal.
      sqs: (queueArn, body, attributes) =>
        sqs.sendFromService(queueArn, body, attributes, 'AIDAIT2UOQQY3AUEKVGXU'),
      lambda: (functionArn, event) => lambda.invoke(functionArn, event),
    },
    track: (work) => {
      track(work);
    },
  });
  const ssm = new SsmModel(base);
  const dynamodb = new DynamoDbModel(base);
  const schedules = new ScheduledRules({ ...base, bus });
  const slack = new SlackSink(url, clock);
  const throttle = new RequestThrottle(() => clock.nowMs());
  for (const bucket of [...ecsRequestBuckets(), ...fargateRunTaskBuckets()]) throttle.add(bucket);
  const faults = new FaultInjector(throttle);
  const calls = new CallLog();
  server.on(
    'request',
    createEndpoint({
      services: [
        ecs.wire(),
        snsWire(sns),
        ssm.wire(),
        dynamodb.wire(),
        sqs.wire(),
        cloudwatch.wire(),
      ],
      slack,
      faults,
      throttle,
      calls,
      identities,
      clock,
      activity,
      scheduler: { scheduler, region, accountId },
    }),
  );
  return {
    url,
    region,
    accountId,
    env: {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: 'local-aws-secret-access-key',
      AWS_ENDPOINT_URL_ECS: url,
      AWS_ENDPOINT_URL_SNS: url,
      AWS_ENDPOINT_URL_SSM: url,
      AWS_ENDPOINT_URL_DYNAMODB: url,
      AWS_ENDPOINT_URL_SQS: url,
      AWS_ENDPOINT_URL_CLOUDWATCH: url,
      AWS_ENDPOINT_URL_SCHEDULER: url,
    },
    clock,
    ecs,
    lambda,
    scheduler,
    sns,
    ssm,
    dynamodb,
    sqs,
    cloudwatch,
    schedules,
    slack,
    faults,
    throttle,
    calls,
    track,
    identities,
    get events() {
      return bus.events;
    },
    onEvent: (listener) => bus.onEvent(listener),
    settle: () => activity.settle(),
    close: async () => {
      clock.stopRealtime();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
};
