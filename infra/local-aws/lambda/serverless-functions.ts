import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type ScalarTag } from 'yaml';
import { ROOT } from '../../build/functions.ts';
import type { EventPattern } from '../event-pattern.ts';

/** What serverless.yml declares for one function that a local host needs. */
interface DeclaredFunction {
  name: string;
  patterns: EventPattern[];
  maximumRetryAttempts: number;
  /** The function that receives failed invocations, or "sqs" for the dead-letter queue. */
  onFailure: string | undefined;
  /** How long an invocation may run (the function's timeout, else the provider's). */
  timeoutSeconds: number;
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
  timeout?: number;
  destinations?: { onFailure?: string | { type?: string } };
  events?: { eventBridge?: { pattern?: EventPattern } }[];
};

// Serverless variables that appear in patterns (e.g. a startedBy prefix naming the stage).
const resolveVariables = (value: unknown, variables: Record<string, string>): unknown => {
  if (typeof value === 'string')
    return value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => variables[name] ?? whole);
  if (Array.isArray(value)) return value.map((item) => resolveVariables(item, variables));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveVariables(item, variables)]),
    );
  return value;
};

/**
 * Reads the functions, their EventBridge patterns, retry counts and on-failure destinations from
 * serverless.yml, so local runs route events exactly as the deployed rules do.
 */
const readServerlessFunctions = (
  file = join(ROOT, 'serverless.yml'),
  options: { stage?: string } = {},
): DeclaredFunction[] => {
  const variables = { 'sls:stage': options.stage ?? 'local', 'self:service': 'harbormaster' };
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
        event.eventBridge?.pattern
          ? [resolveVariables(event.eventBridge.pattern, variables) as EventPattern]
          : [],
      ),
      maximumRetryAttempts: fn.maximumRetryAttempts ?? 2,
      timeoutSeconds: fn.timeout ?? providerTimeout,
      onFailure: typeof onFailure === 'string' ? onFailure : onFailure?.type,
    };
  });
};

export { type DeclaredFunction, readServerlessFunctions };
