import { readFileSync } from 'node:fs';
import {
  type ECSClient,
  type NetworkConfiguration,
  type RegisterTaskDefinitionCommandInput,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import type { EventBridgeEnvelope, LocalAws } from '../index.ts';

export {
  clientConfig,
  credentials,
  ecsClient,
  eventsOf,
  failure,
  fastRetry,
} from '../testing.ts';

/** A real event sample from the package's fixtures (see fixtures/events/SOURCES.md). */
export const fixture = (name: string): EventBridgeEnvelope =>
  JSON.parse(
    readFileSync(
      new URL(
        `./fixtures/events/${name.endsWith('.json') ? name : `${name}.json`}`,
        import.meta.url,
      ),
      'utf8',
    ),
  ) as EventBridgeEnvelope;

/** Sorted top-level keys of an object. */
export const keysOf = (value: unknown): string[] =>
  typeof value === 'object' && value !== null ? Object.keys(value).sort() : [];

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
