import type { KernelConfig } from './config/aws.ts';
import type { Runtime } from './runtime.ts';

/**
 * How every AWS SDK client is configured: region, endpoint (the embedded endpoint locally),
 * credentials, retries and timeouts from the `aws` section. Each wing builds the clients it uses
 * with it, once per runtime (`runtime.once`), so a function's bundle holds only its own clients.
 */
const clientConfig = (runtime: Runtime<KernelConfig>, service: string) => {
  const { env, config } = runtime;
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  return {
    region: env.AWS_REGION,
    // Names the function in CloudTrail's userAgent, so each call can be traced to its guardrail.
    customUserAgent: `harbormaster/${runtime.functionName}`,
    maxAttempts: config.aws.maxAttempts,
    retryMode: config.aws.retryMode,
    requestHandler: {
      connectionTimeout: config.aws.connectionTimeoutMs,
      requestTimeout: config.aws.requestTimeoutMs,
    },
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
};

export { clientConfig };
