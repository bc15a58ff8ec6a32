import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Action } from './action.ts';
import type { KernelConfig } from './config/aws.ts';
import { dryRunSection } from './config/aws.ts';
import { scopeSection } from './config/scope.ts';
import { deepFreeze, parseSections } from './config/sections.ts';
import type { AnswerContract, FunctionDefinition } from './function-definition.ts';
import { type Invocation, standaloneInvocation } from './invocation.ts';
import { type InvocationResult, invoke } from './invoke.ts';
import { createPowertools, type Powertools, powertoolsTelemetry } from './powertools.ts';
import { createRuntime, type Runtime } from './runtime.ts';

/**
 * The configuration, embedded by the build (infra/build/bundle.ts) after validating it whole: the
 * sections the function reads as written in the file, the others as validated.
 */
declare const __HARBORMASTER_CONFIG__: string;

interface BundledConfig {
  raw: Record<string, unknown>;
  validated: Record<string, unknown>;
}

/** A Lambda handler: the invocation's result, or the answer its contract gives (AnswerContract). */
type LambdaHandler = (event: unknown, context: Context) => Promise<InvocationResult>;

/**
 * The invocation as Lambda gives it: its request id (kept across Lambda's retries of an
 * asynchronous invocation), a fresh id for this attempt, and its remaining time, which bounds every
 * lease it takes and every budget it spends.
 */
const invocationOf = (context: Context): Invocation => ({
  requestId: context.awsRequestId,
  attemptId: `${context.awsRequestId}/${crypto.randomUUID()}`,
  remainingMs:
    typeof context.getRemainingTimeInMillis === 'function'
      ? () => context.getRemainingTimeInMillis()
      : // A caller that is not Lambda (a test harness) and gives no deadline: Lambda's longest.
        standaloneInvocation(() => new Date()).remainingMs,
});

/**
 * The middleware of an answer contract: it turns the result into the answer and an error or an
 * early timeout into the fallback answer. Used first, so that its `after` and `onError` run last,
 * once Powertools has flushed the invocation's metrics.
 */
const answering = (contract: AnswerContract) => ({
  after: (request: { event: unknown; response: unknown }) => {
    if (contract.applies(request.event))
      request.response = contract.answer(request.event, request.response as InvocationResult);
  },
  onError: (request: { event: unknown; error: unknown }) => {
    if (!contract.applies(request.event)) return undefined;
    const error = request.error as Error | undefined;
    return contract.fallback(request.event, `${error?.name ?? 'Error'}: ${error?.message ?? ''}`);
  },
});

/**
 * Wraps a function definition in the standard middleware stack: Powertools request context and
 * correlation keys in every log line, and metrics flushed once per invocation.
 */
const createLambdaHandler = <E, S, C extends KernelConfig, P, A extends Action>(
  definition: FunctionDefinition<E, S, C, P, A>,
  runtime: Runtime<C>,
  ports: P,
  powertools?: Powertools,
): LambdaHandler => {
  const contract = definition.answer;
  const handler = middy<unknown, InvocationResult, Error, Context>(
    // An answer contract keeps time to answer before Lambda's timeout; others keep middy's default.
    contract ? { timeoutEarlyInMillis: contract.reserveMs } : {},
  );
  if (contract) handler.use(answering(contract));
  if (powertools) {
    handler
      .use(injectLambdaContext(powertools.logger, { resetKeys: true }))
      .use(logMetrics(powertools.metrics, { captureColdStartMetric: true }));
  }
  return handler.handler((event, context) =>
    invoke(definition, event, runtime, ports, { invocation: invocationOf(context) }),
  );
};

/**
 * The Lambda entry point of a function: validates the bundled configuration and wires the real
 * ports once, at cold start, so a bad configuration fails there with the field named.
 */
const lambdaEntry = async <E, S, C extends KernelConfig, P, A extends Action>(
  definition: FunctionDefinition<E, S, C, P, A>,
): Promise<LambdaHandler> => {
  const env = process.env;
  const powertools = createPowertools(definition.name, env.HARBORMASTER_STAGE);
  // The build checked it in full; the cold start re-checks the sections this function reads, the
  // kernel's among them (but not the batch jobs' schedules and time zones, whose check loads ICU's
  // zone data).
  const bundled = JSON.parse(__HARBORMASTER_CONFIG__) as BundledConfig;
  const config = deepFreeze({
    ...bundled.validated,
    ...(parseSections(bundled.raw, 'the configuration bundled at build time', {
      dryRun: dryRunSection,
      scope: scopeSection,
      ...definition.configSections,
    }) as Partial<C>),
  } as unknown as C);
  const runtime = createRuntime({
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? definition.name,
    config,
    env,
    telemetry: powertoolsTelemetry(powertools),
  });
  const ports = await definition.wire(runtime);
  return createLambdaHandler(definition, runtime, ports, powertools);
};

export { createLambdaHandler, type LambdaHandler, lambdaEntry };
