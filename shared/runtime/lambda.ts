import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { parseConfig } from '../config/parse.ts';
import type { Ports } from '../core/ports.ts';
import type { FunctionDefinition } from './function-definition.ts';
import { type InvocationResult, invoke } from './invoke.ts';
import { createPowertools, type Powertools, powertoolsTelemetry } from './powertools.ts';
import { completePorts, createRuntime, type Runtime } from './runtime.ts';

/** The configuration file's data, embedded by the build (infra/build) after validating it. */
declare const __HARBORMASTER_CONFIG__: string;

type LambdaHandler = (event: unknown, context: Context) => Promise<InvocationResult>;

/**
 * Wraps a function definition in the standard middleware stack: Powertools request context and
 * correlation keys in every log line, and metrics flushed once per invocation.
 */
const createLambdaHandler = <E, S>(
  definition: FunctionDefinition<E, S>,
  runtime: Runtime,
  ports: Ports,
  powertools?: Powertools,
): LambdaHandler => {
  const handler = middy<unknown, InvocationResult, Error, Context>();
  if (powertools) {
    handler
      .use(injectLambdaContext(powertools.logger, { resetKeys: true }))
      .use(logMetrics(powertools.metrics, { captureColdStartMetric: true }));
  }
  return handler.handler((event) => invoke(definition, event, runtime, ports));
};

/**
 * The Lambda entry point of a function: validates the bundled configuration and wires the real
 * ports once, at cold start, so a bad configuration fails there with the field named.
 */
const lambdaEntry = async <E, S>(definition: FunctionDefinition<E, S>): Promise<LambdaHandler> => {
  const env = process.env;
  const powertools = createPowertools(definition.name, env.HARBORMASTER_STAGE);
  // The build checked it in full; the cold start re-checks all but the batch jobs' schedules
  // and time zones, whose check loads ICU's zone data.
  const config = parseConfig(
    JSON.parse(__HARBORMASTER_CONFIG__),
    'the configuration bundled at build time',
    { schedules: false },
  );
  const runtime = createRuntime({
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? definition.name,
    config,
    env,
    telemetry: powertoolsTelemetry(powertools),
  });
  const ports: Ports = completePorts(await definition.wire(runtime));
  return createLambdaHandler(definition, runtime, ports, powertools);
};

export { createLambdaHandler, type LambdaHandler, lambdaEntry };
