import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Invocation } from '#apps/local/lambda/local-lambda.ts';
import { ROOT } from '#infra/build/functions.ts';

/**
 * Assumed p50 latency of one call from a Lambda function in the same Region, by the SDK's
 * serviceId. The embedded endpoint answers in microseconds, so AWS's latencies are modelled.
 */
const LATENCY_MS: Record<string, number> = {
  // AWS Knowledge Center, DynamoDB high latency: most atomic operations such as GetItem and
  // PutItem have an average latency in single-digit milliseconds
  // (https://repost.aws/knowledge-center/dynamodb-high-latency); 10 ms adds the network.
  DynamoDB: 10,
  // Assumptions: AWS publishes no latency for these APIs.
  ECS: 60,
  SNS: 30,
  SQS: 20,
  CloudWatch: 30,
  SSM: 20,
};
const UNKNOWN_LATENCY_MS = 50;

const LATENCY_NOTE = `assumed p50 per call: ${Object.entries(LATENCY_MS)
  .map(([service, ms]) => `${service} ${ms} ms`)
  .join(
    ', ',
  )} (DynamoDB from AWS's "single-digit milliseconds" for GetItem/PutItem plus network; the others assumptions, unpublished)`;

/** Each function's configured memory in MB (serverless.yml: its own, else the provider's). */
const memoryOf = (() => {
  let declared: { provider?: { memorySize?: number }; functions?: Record<string, Json> } | null =
    null;
  return (fn: string): number => {
    declared ??= parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'), {
      customTags: ['!Ref', '!GetAtt', '!Sub'].map((tag) => ({ tag, resolve: (v: string) => v })),
    }) as typeof declared;
    const memory = declared?.functions?.[fn]?.memorySize;
    return typeof memory === 'number' ? memory : (declared?.provider?.memorySize ?? 1024);
  };
})();

type Json = Record<string, unknown>;

interface InvocationCost {
  function: string;
  invocations: number;
  /** Invocations that ran alone (their CPU is theirs and the endpoint's serving them). */
  measured: number;
  cpuMsMedian: number;
  cpuMsP90: number;
  /** Mean SDK calls per invocation, by service. */
  callsPerInvocation: Record<string, number>;
  /** Median CPU plus the calls at their assumed latency, rounded up to Lambda's 1 ms. */
  modelledMs: number;
  memoryMb: number;
  gbSeconds: number;
}

const quantile = (sorted: number[], q: number): number =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);

/** What invocations of one kind cost: CPU measured by the local host, AWS latency modelled. */
const invocationCost = (fn: string, invocations: readonly Invocation[]): InvocationCost => {
  const alone = invocations
    .filter((i) => i.ranAlone && i.cpuMs !== undefined)
    .map((i) => i.cpuMs as number)
    .sort((a, b) => a - b);
  const calls: Record<string, number> = {};
  for (const i of invocations)
    for (const service of i.calls ?? []) calls[service] = (calls[service] ?? 0) + 1;
  const perInvocation = Object.fromEntries(
    Object.entries(calls).map(([service, n]) => [service, n / Math.max(1, invocations.length)]),
  );
  const waitMs = Object.entries(perInvocation).reduce(
    (sum, [service, n]) => sum + n * (LATENCY_MS[service] ?? UNKNOWN_LATENCY_MS),
    0,
  );
  const cpuMsMedian = quantile(alone, 0.5);
  const modelledMs = Math.ceil(cpuMsMedian + waitMs);
  const memoryMb = memoryOf(fn);
  return {
    function: fn,
    invocations: invocations.length,
    measured: alone.length,
    cpuMsMedian,
    cpuMsP90: quantile(alone, 0.9),
    callsPerInvocation: perInvocation,
    modelledMs,
    memoryMb,
    gbSeconds: (modelledMs / 1000) * (memoryMb / 1024),
  };
};

/** One printed line: what one invocation of a kind costs, and from what. */
const costLine = (label: string, c: InvocationCost): string =>
  `  ${label} (${c.function}, ${c.memoryMb} MB): CPU ${c.cpuMsMedian.toFixed(1)} ms median, ${c.cpuMsP90.toFixed(1)} p90 (${c.measured} of ${c.invocations} ran alone); calls ${
    Object.entries(c.callsPerInvocation)
      .map(([service, n]) => `${service} ${n.toFixed(2)}`)
      .join(', ') || 'none'
  } -> ${c.modelledMs} ms billed, ${(c.gbSeconds * 1000).toFixed(2)} GB-ms (${(c.gbSeconds * 1_000_000).toFixed(0)} GB-s per million)`;

export { costLine, type InvocationCost, invocationCost, LATENCY_NOTE };
