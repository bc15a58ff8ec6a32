import {
  compilePattern,
  type EventBridgeEnvelope,
  type LocalAws,
  type LocalAwsOptions,
  startLocalAws,
} from '@harbormaster/local-aws';
import { parseConfig } from '#config/parse.ts';
import type { Config, ConfigInput } from '#config/schema.ts';
import { FUNCTIONS } from '#functions/registry.ts';
import type { AnyFunctionDefinition } from '#kernel/function-definition.ts';
import type { Chaos } from '../chaos/chaos.ts';
import type { CompletedCall } from './attempts.ts';
import { functionUrls, type UrlRequest, type UrlResponse } from './function-urls.ts';
import { LocalLambda } from './local-lambda.ts';
import { localSchedules } from './local-schedules.ts';
import { readServerlessFunctions, readStackTable } from './serverless-functions.ts';

/**
 * How EventBridge delivers: at least once and not necessarily in order. With these rates (0..1,
 * drawn from a seeded generator so runs repeat), an event is sometimes delivered twice at once, or
 * held back and delivered after the next one.
 */
interface DeliveryOptions {
  duplicateRate?: number;
  reorderRate?: number;
  seed?: number;
}

interface LocalStackOptions extends LocalAwsOptions {
  /** The configuration, or a function building it once the endpoint runs (Slack ids are made then). */
  config?: ConfigInput | Config | ((local: LocalAws) => ConfigInput | Config);
  stage?: string;
  delivery?: DeliveryOptions;
  functions?: Record<string, AnyFunctionDefinition>;
  /** Simulated seconds per real second when time is advanced with `elapse` (as fast as possible if unset). */
  speed?: number;
  /** Function timeouts (seconds) that replace serverless.yml's, by function name. */
  timeouts?: Record<string, number>;
  /** Faults injected into the hosted functions and the endpoint (`npm start -- --chaos`). */
  chaos?: Chaos;
  /** Called after each answered SDK call of a hosted attempt, which it may kill (a crash point). */
  afterCall?: (call: CompletedCall) => void;
}

/** Harbormaster running on the embedded AWS endpoint: its stack resources, functions and rules. */
interface LocalStack {
  local: LocalAws;
  lambda: LocalLambda;
  config: Config;
  topicArn: string;
  deadLetterQueue: string;
  jobRunsTable: string;
  /** Routes an event through the rules of serverless.yml to the functions they target. */
  publish(event: unknown): string[];
  /**
   * POSTs to a function's URL (auth type NONE) as Lambda's function URLs do: the request becomes a
   * payload format 2.0 event, the function runs synchronously, its answer is the HTTP response,
   * and a function error is answered 502 (urls-invocation.html).
   */
  functionUrl(name: string, request: UrlRequest): Promise<UrlResponse>;
  /** Resolves once every delivery and every request it caused has finished. */
  settle(): Promise<void>;
  /** Advances simulated time (paced by `speed` if set) and settles what it caused. */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

// A small deterministic generator (mulberry32), so a seeded demo or test behaves the same every run.
const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const pascal = (name: string): string =>
  name.replace(/(^|-)(\w)/g, (_match, _sep, letter: string) => letter.toUpperCase());

/**
 * Gives each function the identity Lambda gives it: a session of its own role named after the
 * function (`assumed-role/<stack>-<Name>Role-<id>/<stack>-<name>`), so the CloudTrail records of
 * its calls name it as they do in AWS.
 */
const functionPrincipals = (
  local: LocalAws,
  stage: string,
  declared: readonly { name: string }[],
): Record<string, Record<string, string>> =>
  Object.fromEntries(
    declared.map(({ name }, index) => {
      const accessKeyId = `ASIALOCALLAMBDA${String(index).padStart(5, '0')}`;
      const role = `harbormaster-${stage}-${pascal(name)}Role-LOCAL`;
      local.identities.set(
        accessKeyId,
        `arn:aws:sts::${local.accountId}:assumed-role/${role}/harbormaster-${stage}-${name}`,
      );
      return [
        name,
        {
          AWS_ACCESS_KEY_ID: accessKeyId,
          // Its wake-ups (serverless.yml): the function's own ARN.
          WAKEUP_TARGET_ARN: `arn:aws:lambda:${local.region}:${local.accountId}:function:harbormaster-${stage}-${name}`,
        },
      ];
    }),
  );

/**
 * Starts the embedded AWS endpoint, creates what serverless.yml's resources create (alert topic,
 * deduplication table, dead-letter queue, the Slack webhook parameter when configured), and
 * delivers every event the endpoint emits to the functions whose rules match, as EventBridge would.
 */
/**
 * The ECS call budget counts wall-clock seconds, and the local stack runs simulated minutes in
 * wall seconds: unless the configuration sets `aws.ecsBudget`, the budget here is ECS's documented
 * burst (100 calls; 50, UpdateService's, for changes), so that compressed time is not stretched
 * by a limit meant for real time. The budget's own tests set theirs.
 */
const withSimulationBudget = (input: ConfigInput | Config): ConfigInput | Config => {
  const aws = (input as { aws?: { ecsBudget?: unknown } }).aws;
  if (aws?.ecsBudget !== undefined) return input;
  return {
    ...input,
    aws: { ...aws, ecsBudget: { callsPerSecond: 100, changesPerSecond: 50 } },
  } as ConfigInput;
};

const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const stage = options.stage ?? 'local';
  const local = await startLocalAws(options);
  const input = typeof options.config === 'function' ? options.config(local) : options.config;
  const config = parseConfig(withSimulationBudget(input ?? {}), 'local configuration');
  const topicArn = local.sns.createTopic(`harbormaster-${stage}-alerts`);
  const tableName = `harbormaster-${stage}-dedup`;
  local.dynamodb.createTable(tableName, { partitionKey: 'pk' });
  const guardTableName = `harbormaster-${stage}-guard`;
  local.dynamodb.createTableFrom({
    ...readStackTable('infra/resources/deployment-guard.yml', 'GuardTable'),
    TableName: guardTableName,
  });
  const deadLetterQueue = local.sqs.createQueue(`harbormaster-${stage}-dead-letters`);
  const jobRunsTable = `harbormaster-${stage}-job-runs`;
  local.dynamodb.createTable(jobRunsTable, { partitionKey: 'pk', sortKey: 'sk' });
  if (config.alerts.slack)
    local.ssm.put(config.alerts.slack.webhookUrlParameter, local.slack.webhookUrl, 'SecureString');
  // Each routed webhook is a path of its own on the same sink (its posts record the path).
  for (const [name, webhook] of Object.entries(config.alerts.webhooks))
    local.ssm.put(
      webhook.webhookUrlParameter,
      local.slack.webhookUrl.replace('/B00000000/', `/B-${name}/`),
      'SecureString',
    );
  if (config.alerts.slackApp) {
    // The app the configuration names (chat.appId), else the one installed, else a new one.
    const apps = [...local.slack.workspace.apps.values()];
    const app =
      apps.find((a) => a.appId === config.chat?.appId) ??
      apps[0] ??
      local.slack.installApp({ name: 'Harbormaster' });
    local.ssm.put(config.alerts.slackApp.botTokenParameter, app.botToken, 'SecureString');
    if (config.chat)
      local.ssm.put(config.chat.signingSecretParameter, app.signingSecret, 'SecureString');
  }

  const declared = readServerlessFunctions(undefined, { service: 'harbormaster', stage });
  const functionEnv = functionPrincipals(local, stage, declared);
  // infra/resources/wakeups.yml: the group the functions' one-time wake-ups go in.
  const wakeupGroup = `harbormaster-${stage}-wakeups`;
  local.scheduler.createGroup(wakeupGroup);
  // What serverless.yml's environment sections give the functions, pointed at the local resources.
  const env = {
    ...local.env,
    HARBORMASTER_STAGE: stage,
    ALERT_TOPIC_ARN: topicArn,
    DEDUP_TABLE_NAME: tableName,
    GUARD_TABLE_NAME: guardTableName,
    DEAD_LETTER_QUEUE_URL: deadLetterQueue,
    JOB_RUNS_TABLE_NAME: jobRunsTable,
    CHAT_ACTIONS_TOPIC_ARN: `arn:aws:sns:${local.region}:${local.accountId}:harbormaster-${stage}-chat-actions`,
    SLACK_API_URL: local.slack.apiUrl,
    WAKEUP_GROUP: wakeupGroup,
    WAKEUP_ROLE_ARN: `arn:aws:iam::${local.accountId}:role/harbormaster-${stage}-WakeupSchedulerRole-LOCAL`,
  };
  const lambda = new LocalLambda({
    functions: options.functions ?? FUNCTIONS,
    declared,
    config,
    stage,
    accountId: local.accountId,
    now: () => local.clock.now(),
    schedule: (delayMs, run) => void local.clock.schedule(delayMs, run),
    track: (work) => local.track(work),
    timeouts: options.timeouts,
    ...(options.chaos || options.afterCall
      ? {
          afterCall: (call: CompletedCall) => {
            options.chaos?.afterCall(call);
            options.afterCall?.(call);
          },
        }
      : {}),
    env,
    envFor: (name) => ({ ...env, ...functionEnv[name] }),
  });
  const rules = declared.flatMap((fn) =>
    fn.patterns.map((pattern) => ({ fn: fn.name, matches: compilePattern(pattern) })),
  );
  const random = seededRandom(options.delivery?.seed ?? 1);
  const inFlight = new Set<Promise<unknown>>();
  let heldBack: (() => void)[] = [];

  const deliver = (fn: string, event: unknown): void => {
    const work = local.track(lambda.invokeAsync(fn, event));
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  // Scheduled rules target their function directly; their events carry the rule's ARN.
  const scheduled = new Map(
    declared.flatMap((fn) =>
      fn.schedules.map((schedule) => [
        local.schedules.add(schedule.name, schedule.expression).arn,
        fn.name,
      ]),
    ),
  );
  const scheduledTarget = (event: unknown): string[] => {
    const e = event as { 'detail-type'?: string; resources?: string[] };
    const target =
      e['detail-type'] === 'Scheduled Event' ? scheduled.get(e.resources?.[0] ?? '') : undefined;
    return target ? [target] : [];
  };

  const publish = (event: unknown): string[] => {
    const targets = [
      ...new Set([
        ...rules.filter((rule) => rule.matches(event)).map((rule) => rule.fn),
        ...scheduledTarget(event),
      ]),
    ];
    const released = heldBack;
    heldBack = [];
    for (const fn of targets) {
      const send = () => deliver(fn, event);
      if (random() < (options.delivery?.reorderRate ?? 0)) {
        heldBack.push(send);
        continue;
      }
      send();
      if (random() < (options.delivery?.duplicateRate ?? 0)) send();
    }
    for (const send of released) send();
    return targets;
  };

  options.chaos?.attach(local);
  const unsubscribe = local.onEvent((event: EventBridgeEnvelope) => void publish(event));
  // AWS services that invoke a function themselves (ECS lifecycle hooks) reach it by its deployed
  // name, synchronously, as RequestResponse invocations.
  const unregister = declared.map(({ name }) =>
    local.lambda.onInvoke(lambda.functionName(name), (event) => lambda.invoke(name, event)),
  );
  // SNS invokes its subscribed functions asynchronously (Lambda's retries and destination apply):
  // each subscription reaches the function through an invoker of its own.
  const unregisterTopics = declared.flatMap(({ name, topics }) =>
    topics.map((topic) => {
      const topicArn = local.sns.createTopic(topic);
      const invoker = `${lambda.functionName(name)}-sns`;
      local.sns.subscriptions.subscribe({
        TopicArn: topicArn,
        Protocol: 'lambda',
        Endpoint: `arn:aws:lambda:${local.region}:${local.accountId}:function:${invoker}`,
      });
      return local.lambda.onInvoke(invoker, async (event) => {
        const work = local.track(lambda.invokeAsync(name, event));
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
        return work;
      });
    }),
  );
  // EventBridge Scheduler invokes its target directly (asynchronously), not through a rule.
  // Wake-ups name the deployed function (harbormaster-<stage>-<name>); the stack's batch schedules
  // name it as serverless.yml does.
  const deployedNames = new Map(declared.map(({ name }) => [lambda.functionName(name), name]));
  const unsubscribeScheduler = local.scheduler.onInvoke((target, payload) =>
    deliver(deployedNames.get(target) ?? target, payload),
  );
  for (const schedule of localSchedules(config, stage)) local.scheduler.createSchedule(schedule);

  const settle = async (): Promise<void> => {
    for (const send of heldBack.splice(0)) send();
    while (inFlight.size > 0) {
      await Promise.allSettled([...inFlight]);
      await local.settle();
    }
    await local.settle();
  };

  const pacedStepMs = 10_000;
  const elapse = async (ms: number): Promise<void> => {
    if (!options.speed) {
      await local.clock.advance(ms);
      return settle();
    }
    for (let done = 0; done < ms; done += pacedStepMs) {
      const step = Math.min(pacedStepMs, ms - done);
      await new Promise((resolve) => setTimeout(resolve, step / (options.speed ?? 1)));
      await local.clock.advance(step);
      await settle();
    }
  };

  const functionUrl = functionUrls({
    lambda,
    region: local.region,
    now: () => local.clock.now(),
    withUrl: declared.filter((fn) => fn.url).map((fn) => fn.name),
  });

  return {
    local,
    lambda,
    config,
    topicArn,
    deadLetterQueue,
    jobRunsTable,
    publish,
    functionUrl,
    settle,
    elapse,
    close: async () => {
      unsubscribe();
      unsubscribeScheduler();
      for (const off of [...unregister, ...unregisterTopics]) off();
      await settle();
      await local.close();
    },
  };
};

export {
  type DeliveryOptions,
  type LocalStack,
  type LocalStackOptions,
  startLocalStack,
  type UrlRequest,
  type UrlResponse,
};
