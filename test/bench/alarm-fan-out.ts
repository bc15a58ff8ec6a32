import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalAws } from '@harbormaster/local-aws';
import { eventsOf } from '@harbormaster/local-aws/testing';
import { readStackTable } from '#apps/local/lambda/serverless-functions.ts';
import { serviceReads } from '#aws/ecs/service-reads.ts';
import { serviceUpdates } from '#aws/ecs/service-updates.ts';
import { taskReads } from '#aws/ecs/task-reads.ts';
import { wireEcs, wireServiceDeployments } from '#aws/ecs/wire.ts';
import { parseConfig } from '#config/parse.ts';
import { deploymentGuard } from '#functions/deployment-guard/definition.ts';
import { decideDeploymentGuard } from '#guard/decide.ts';
import { loadGuardState } from '#guard/load.ts';
import { createGuardStore } from '#guard/store.ts';
import { wireAlarms } from '#guard/wire.ts';
import { createRuntime } from '#kernel/runtime.ts';
import { silentTelemetry } from '#kernel/telemetry.ts';
import { createService, registerRevision } from '#support/local-services.ts';

const ALARM = 'fleet-5xx';

/**
 * One alarm watched by `count` deployments in progress, on the embedded endpoint: the guard's load
 * and decision for its ALARM event (the rollbacks it decides are counted, not made), with the
 * default ECS call budget; ECS calls counted at the endpoint per wall-clock second.
 */
const alarmFanOut = async (count: number) => {
  const local = await startLocalAws();
  try {
    const env: Record<string, string | undefined> = {
      ...local.env,
      DEDUP_TABLE_NAME: 'claims',
      GUARD_TABLE_NAME: 'guard',
    };
    local.dynamodb.createTableFrom({
      ...readStackTable('infra/resources/alerting.yml', 'DedupTable'),
      TableName: 'claims',
    });
    local.dynamodb.createTableFrom({
      ...readStackTable('infra/resources/deployment-guard.yml', 'GuardTable'),
      TableName: 'guard',
    });
    const store = createGuardStore(
      new DynamoDBClient({
        endpoint: local.url,
        region: local.region,
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: 'x' },
      }),
      'guard',
    );
    const startedAt = local.clock.now().toISOString();
    for (let i = 0; i < count; i++) {
      const service = `svc-${i}`;
      const { taskDefinition } = createService(local, { cluster: 'fleet', service });
      const v2 = registerRevision(local, service, 'public.ecr.aws/nginx/nginx:1.28');
      local.ecs.call('UpdateService', { cluster: 'fleet', service, taskDefinition: v2 });
      const deploymentId = local.ecs.service('fleet', service)?.deployments[0]?.id ?? '';
      await store.startWatch(
        {
          cluster: 'fleet',
          service,
          deploymentId,
          origin: 'deployment',
          taskDefinition: v2,
          previousTaskDefinition: taskDefinition,
          rollbackOf: undefined,
          startedAt,
          deadlineAt: undefined,
          completedAt: undefined,
          bakeUntil: undefined,
          alarms: [ALARM],
        },
        new Date(Date.parse(startedAt) + 3_600_000),
      );
    }
    local.cloudwatch.putAlarm(ALARM, { state: 'OK' });
    local.cloudwatch.setAlarmState(ALARM, 'ALARM', 'Threshold Crossed');
    const raw = eventsOf(local, 'CloudWatch Alarm State Change').at(-1);
    const config = parseConfig({ deploymentGuard: { alarms: { names: [ALARM] } } }, 'bench');
    const runtime = createRuntime({
      functionName: 'deployment-guard',
      config,
      env,
      telemetry: silentTelemetry,
      now: () => local.clock.now(),
    });
    const ports = {
      ecs: wireEcs(runtime, [serviceReads, serviceUpdates, taskReads]),
      alarms: wireAlarms(runtime),
      guardStore: createGuardStore(
        new DynamoDBClient({
          endpoint: local.url,
          region: local.region,
          credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: 'x' },
        }),
        'guard',
      ),
      serviceDeployments: wireServiceDeployments(runtime),
    };
    local.calls.clear();
    const guardReadsBefore = local.dynamodb.usage.of('guard').requests;
    const started = performance.now();
    const event = deploymentGuard.parse(raw);
    const state = await loadGuardState(event as never, ports, config);
    const decision = decideDeploymentGuard(event as never, state, config, local.clock.now());
    const seconds = (performance.now() - started) / 1000;
    const ecs = local.calls.list('ecs');
    const perSecond = new Map<number, number>();
    for (const call of ecs) {
      const second = Math.floor(call.receivedAtMs / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    return {
      seconds,
      ecsCalls: ecs.length,
      describeServices: ecs.filter((c) => c.operation === 'DescribeServices').length,
      maxPerSecond: Math.max(...perSecond.values()),
      throttled: ecs.filter((c) => c.errorCode === 'ThrottlingException').length,
      guardTableRequests: local.dynamodb.usage.of('guard').requests - guardReadsBefore,
      rollbacks: decision.actions.filter((a) => a.type === 'rollback').length,
    };
  } finally {
    await local.close();
  }
};

export { alarmFanOut };
