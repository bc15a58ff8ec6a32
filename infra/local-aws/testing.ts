/**
 * Helpers for tests that drive the endpoint with the real SDK clients (`@harbormaster/local-aws/testing`):
 * client configuration matching the endpoint's default principal, retry and failure helpers, and event
 * filters. Only `@aws-sdk/client-ecs` is needed (a peer dependency), for `ecsClient`.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import type { EventBridgeEnvelope } from './core/event-bus.ts';
import type { LocalAws } from './local-aws.ts';

/** Credentials matching the endpoint's default principal. */
export const credentials = {
  accessKeyId: 'AKIALOCALAWS00000001',
  secretAccessKey: 'local-aws-secret',
};

/** SDK client configuration pointing at the local endpoint (one attempt unless told otherwise). */
export const clientConfig = (local: LocalAws, extra: Record<string, unknown> = {}) => ({
  endpoint: local.url,
  region: local.region,
  credentials,
  maxAttempts: 1,
  ...extra,
});

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

const token = (count: number): RetryToken => ({
  getRetryCount: () => count,
  getRetryDelay: () => 1,
});

/**
 * A retry strategy with the SDK's retry decisions (throttling and transient errors, classified by
 * the SDK) but 1 ms delays, so retry tests stay fast.
 */
export const fastRetry = (maxAttempts: number) => ({
  mode: 'standard',
  acquireInitialRetryToken: async (): Promise<RetryToken> => token(0),
  refreshRetryTokenForRetry: async (
    previous: RetryToken,
    info: { errorType: string },
  ): Promise<RetryToken> => {
    const retryable = info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT';
    if (!retryable || previous.getRetryCount() + 1 >= maxAttempts)
      throw new Error('No retry token available');
    await new Promise((resolve) => setTimeout(resolve, 1));
    return token(previous.getRetryCount() + 1);
  },
  recordSuccess: (): void => undefined,
});

/** The error a call rejects with (fails the test if it resolves). */
export const failure = async (call: Promise<unknown>): Promise<Error> => {
  try {
    await call;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

/** An ECS client for the local endpoint. */
export const ecsClient = (local: LocalAws, extra: Record<string, unknown> = {}): ECSClient =>
  new ECSClient(clientConfig(local, extra));

/** Events of one detail-type, in emission order. */
export const eventsOf = (local: LocalAws, detailType: string): EventBridgeEnvelope[] =>
  local.events.filter((e) => e['detail-type'] === detailType);
