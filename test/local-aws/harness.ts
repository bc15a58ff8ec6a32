import { readFileSync } from 'node:fs';
import {
  ECSClient,
  type NetworkConfiguration,
  type RegisterTaskDefinitionCommandInput,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import type { EventBridgeEnvelope, LocalAws } from '../../infra/local-aws/index.ts';

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

/** A real event sample from the project's fixtures (copied from /work/shared with provenance). */
export const fixture = (name: string): EventBridgeEnvelope =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8'),
  ) as EventBridgeEnvelope;

/** Sorted top-level keys of an object. */
export const keysOf = (value: unknown): string[] =>
  typeof value === 'object' && value !== null ? Object.keys(value).sort() : [];

/** Events of one detail-type, in emission order. */
export const eventsOf = (local: LocalAws, detailType: string): EventBridgeEnvelope[] =>
  local.events.filter((e) => e['detail-type'] === detailType);

/** `eventName` (or `lastStatus`) of each ECS event, for compact sequence assertions. */
export const timeline = (local: LocalAws): string[] =>
  local.events
    .filter((e) => e.source === 'aws.ecs' && e['detail-type'] !== 'AWS API Call via CloudTrail')
    .map((e) => String(e.detail.eventName ?? `TASK:${String(e.detail.lastStatus)}`));

/** A Fargate task definition input with one essential container (plus optional sidecar). */
export const fargateTaskDefinition = (
  family: string,
  image = 'nginx:1.27',
  sidecar = false,
): RegisterTaskDefinitionCommandInput => ({
  family,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    { name: 'app', image, essential: true, portMappings: [{ containerPort: 80 }] },
    ...(sidecar
      ? [
          {
            name: 'otel',
            image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.32.0',
            essential: false,
          },
        ]
      : []),
  ],
});

/** The awsvpc network configuration used by the tests. */
export const network: NetworkConfiguration = {
  awsvpcConfiguration: {
    subnets: ['subnet-0aaa1111bbbb2222c'],
    securityGroups: ['sg-0123456789abcdef0'],
    assignPublicIp: 'DISABLED',
  },
};

/** RunTask of the `report` family on cluster `batch` (Fargate, the shared network), with overrides. */
export const runReport = (ecs: ECSClient, extra: Record<string, unknown> = {}) =>
  ecs.send(
    new RunTaskCommand({
      cluster: 'batch',
      taskDefinition: 'report',
      launchType: 'FARGATE',
      networkConfiguration: network,
      ...extra,
    }),
  );

/** A fixed simulated start time. */
export const START = new Date('2026-11-02T09:00:00.000Z');
