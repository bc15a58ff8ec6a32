import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventPattern } from '@harbormaster/local-aws';
import { parseDocument, type ScalarTag } from 'yaml';
import { ROOT } from '#infra/build/functions.ts';
import { backstopSchedule } from '#infra/stack/backstop.ts';

/** What serverless.yml declares for one function that a local host needs. */
interface DeclaredFunction {
  name: string;
  patterns: EventPattern[];
  maximumRetryAttempts: number;
  /** The function's timeout: the provider's unless the function sets its own. */
  timeoutSeconds: number;
  /** The function that receives failed invocations, or "sqs" for the dead-letter queue. */
  onFailure: string | undefined;
  /** Scheduled rules targeting the function: their name and `rate(...)` expression. */
  schedules: { name: string; expression: string }[];
  /** The SNS topics (by name) that invoke the function (asynchronously, as SNS does). */
  topics: string[];
  /** Whether the function has a function URL (`url`). */
  url: boolean;
}

// CloudFormation's short-form tags; their values are not needed to run functions locally.
const CFN_TAGS: ScalarTag[] = [
  '!Ref',
  '!GetAtt',
  '!Sub',
  '!ImportValue',
  '!Join',
  '!Select',
  '!Split',
].map((tag) => ({
  tag,
  resolve: (value: string) => ({ [tag.slice(1)]: value }),
}));

type Declaration = {
  maximumRetryAttempts?: number;
  url?: unknown;
  timeout?: number;
  destinations?: { onFailure?: string | { type?: string } };
  events?: {
    eventBridge?: { pattern?: EventPattern; schedule?: string; name?: string };
    sns?: { topicName?: string };
  }[];
};

/**
 * Reads the functions, their EventBridge patterns, retry counts and on-failure destinations from
 * serverless.yml, so local runs route events exactly as the deployed rules do.
 */
const readServerlessFunctions = (
  file = join(ROOT, 'serverless.yml'),
  variables: { service: string; stage: string } = { service: 'harbormaster', stage: 'local' },
): DeclaredFunction[] => {
  // The Serverless Framework variables a rule name may use.
  const resolve = (text: string): string =>
    text
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Serverless Framework variable.
      .replaceAll('${self:service}', variables.service)
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Serverless Framework variable.
      .replaceAll('${sls:stage}', variables.stage)
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Serverless Framework variable.
      .replaceAll('${self:custom.stack.backstop}', backstopSchedule());
  // Patterns may use them too (a startedBy prefix naming the stage).
  const resolveIn = (value: unknown): unknown => {
    if (typeof value === 'string') return resolve(value);
    if (Array.isArray(value)) return value.map(resolveIn);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveIn(item)]));
    }
    return value;
  };
  const document = parseDocument(readFileSync(file, 'utf8'), { customTags: CFN_TAGS });
  const parsed = document.toJS() as {
    provider?: { timeout?: number };
    functions?: Record<string, Declaration>;
  };
  const functions = parsed.functions ?? {};
  const providerTimeout = parsed.provider?.timeout ?? 6;
  return Object.entries(functions).map(([name, fn]) => {
    const onFailure = fn.destinations?.onFailure;
    return {
      name,
      patterns: (fn.events ?? []).flatMap((event) =>
        event.eventBridge?.pattern ? [resolveIn(event.eventBridge.pattern) as EventPattern] : [],
      ),
      maximumRetryAttempts: fn.maximumRetryAttempts ?? 2,
      timeoutSeconds: fn.timeout ?? providerTimeout,
      onFailure: typeof onFailure === 'string' ? onFailure : onFailure?.type,
      schedules: (fn.events ?? []).flatMap((event, index) =>
        event.eventBridge?.schedule
          ? [
              {
                name: resolve(
                  event.eventBridge.name ??
                    `${variables.service}-${variables.stage}-${name}-rule-${index + 1}`,
                ),
                expression: resolve(event.eventBridge.schedule),
              },
            ]
          : [],
      ),
      topics: (fn.events ?? []).flatMap((event) =>
        event.sns?.topicName ? [resolve(event.sns.topicName)] : [],
      ),
      url: fn.url !== undefined && fn.url !== false,
    };
  });
};

/** A DynamoDB table's properties from a CloudFormation resources file, as a CreateTable request. */
const readStackTable = (file: string, logicalId: string): Record<string, unknown> => {
  const document = parseDocument(readFileSync(join(ROOT, file), 'utf8'), { customTags: CFN_TAGS });
  const resources = (
    document.toJS() as {
      Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
    }
  ).Resources;
  const table = resources?.[logicalId];
  if (table?.Type !== 'AWS::DynamoDB::Table' || !table.Properties)
    throw new Error(`${file} declares no DynamoDB table ${logicalId}`);
  const { AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, BillingMode } = table.Properties;
  return { AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, BillingMode };
};

export { type DeclaredFunction, readServerlessFunctions, readStackTable };
