import { Bench } from 'tinybench';
import { parseConfig } from '#config/parse.ts';
import { policyEnforcer } from '#functions/policy-enforcer/definition.ts';
import { invoke } from '#kernel/invoke.ts';
import { createRuntime } from '#kernel/runtime.ts';
import { silentTelemetry } from '#kernel/telemetry.ts';
import type { PolicySubject } from '#policies/documents.ts';
import { evaluatePolicy } from '#policies/engine.ts';
import { RULES } from '#policies/rules/index.ts';
import { cacheTaskDefinitions } from '#policies/task-definition-cache.ts';
import { fakePorts } from '#support/fakes.ts';
import { revisionArn, taskStartEvent } from '#support/policy-events.ts';
import {
  compliantContainer,
  compliantService,
  compliantTaskDefinition,
} from '#support/task-definitions.ts';

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const env = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}_SETTING_${i}`, value: `value-${i}` }));

/** A realistic service: the app, an Envoy proxy, a FireLens log router, an agent, a migration step. */
const FIVE_CONTAINERS = compliantTaskDefinition({
  family: 'checkout',
  cpu: '2048',
  memory: '4096',
  containerDefinitions: [
    compliantContainer({
      name: 'app',
      image: `${ECR}/checkout:2026.11.2`,
      portMappings: [{ containerPort: 8080 }],
      environment: [
        ...env('APP', 12),
        { name: 'DATABASE_URL', value: 'postgres://db.internal:5432/checkout' },
      ],
      dependsOn: [{ containerName: 'envoy', condition: 'HEALTHY' }],
    }),
    compliantContainer({
      name: 'envoy',
      image: `${ECR}/envoy:v1.31.2`,
      portMappings: [{ containerPort: 9901 }],
      environment: env('ENVOY', 4),
    }),
    compliantContainer({
      name: 'log-router',
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4',
      essential: false,
      firelensConfiguration: { type: 'fluentbit' },
      environment: env('FLB', 3),
    }),
    compliantContainer({
      name: 'agent',
      image: `${ECR}/datadog-agent:7.58.0`,
      essential: false,
      environment: env('DD', 8),
    }),
    compliantContainer({
      name: 'migrate',
      image: `${ECR}/checkout-migrations:2026.11.2`,
      essential: false,
      environment: env('MIGRATE', 5),
    }),
  ],
});

const SUBJECT: PolicySubject = { taskDefinition: FIVE_CONTAINERS, service: compliantService() };

/**
 * Every built-in rule on a five-container definition (target >= 20,000 evaluations per second on
 * one core), and the ECS calls a task event costs once its definition has been seen (target 0).
 */
const policyBench = async (): Promise<string[]> => {
  const [everyRule] = parseConfig(
    {
      policies: [
        {
          name: 'every-rule',
          resource: 'ecs-service',
          filters: Object.keys(RULES).map((type) => ({ type })),
        },
      ],
    },
    'bench',
  ).policies;
  if (!everyRule) throw new Error('no policy');
  const context = { now: new Date(), exemptionTag: 'harbormaster:exempt', tags: {} };
  const findings = evaluatePolicy(everyRule, SUBJECT, context).findings;

  const bench = new Bench({ time: 1500, warmupTime: 300 });
  let sink = 0;
  bench.add('every built-in rule, five containers', () => {
    sink += evaluatePolicy(everyRule, SUBJECT, context).findings.length;
  });
  await bench.run();
  const task = bench.tasks[0];
  const perSecond = task?.result.state === 'completed' ? task.result.throughput.mean : 0;

  // The function itself, on task events of one revision: the first describes it, the rest hit the cache.
  const arn = revisionArn('checkout', 7);
  const fakes = fakePorts({
    taskDefinitions: { [arn]: { definition: FIVE_CONTAINERS, tags: {} } },
  });
  const config = parseConfig(
    {
      policies: [
        {
          name: 'tasks',
          resource: 'ecs-task',
          mode: 'audit',
          filters: [{ type: 'not-privileged' }],
        },
      ],
    },
    'bench',
  );
  const runtime = createRuntime({
    functionName: 'policy-enforcer',
    config,
    env: {},
    telemetry: silentTelemetry,
  });
  const ecs = cacheTaskDefinitions(fakes.ports.ecs, {
    maxEntries: 500,
    tagsTtlMs: 300_000,
    now: () => new Date(),
  });
  const events = 1000;
  for (let i = 0; i < events; i += 1) {
    await invoke(policyEnforcer, taskStartEvent(arn), runtime, { ...fakes.ports, ecs });
  }
  const callsAfterFirst = fakes.ecsCalls.length - 1;

  return [
    `Policy evaluation on one core (target >= 20,000 per second; ${everyRule.filters.length} rules, ${findings.length} findings each)`,
    `${'every built-in rule, five containers'.padEnd(40)} ${Math.round(perSecond).toLocaleString('en-US').padStart(10)} evaluations/s${perSecond >= 20_000 ? '  met' : '  MISSED'}`,
    `ECS calls per task event for a definition already seen (target 0): ${(callsAfterFirst / (events - 1)).toFixed(3)} (${fakes.ecsCalls.length} call(s) for ${events} events)${callsAfterFirst === 0 ? '  met' : '  MISSED'}`,
    ...(sink < 0 ? [String(sink)] : []),
  ];
};

export { FIVE_CONTAINERS, policyBench };
