import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { startLocalAws } from '@harbormaster/local-aws';
import { ecsClient } from '@harbormaster/local-aws/testing';
import { fixture, type Json, withDetail } from './events.ts';
import { deploymentEvent, NEW_ID, stoppedServiceTask } from './guard.ts';
import { NETWORK, registerRevision } from './local-services.ts';

/**
 * A real-shaped incident on the docs' example service (default/servicetest, account 111122223333,
 * us-west-2, the service the deployment fixtures name): web:3 is deployed as ecs-svc/123 over
 * web:2 and its tasks fail load-balancer health checks. Every event derives from a real fixture
 * (test/fixtures/events, SOURCES.md) by changing fields: the deployment events from the docs'
 * deployment examples, the tasks from the arkime STOPPED capture, the alarm from the CloudWatch
 * docs' example.
 */
const ALARM = 'servicetest-5xx';
const PERSON_ID = 'ecs-svc/124';

/** A copy of an event happening at `at` (envelope time, and the task's own timestamps). */
const at = (event: Json, iso: string): Json => {
  const detail = event.detail as Json;
  if (typeof detail.stoppedAt === 'string') {
    Object.assign(detail, {
      stoppedAt: iso,
      updatedAt: iso,
      stoppingAt: iso,
      executionStoppedAt: iso,
    });
    detail.startedAt = '2020-05-23T11:01:30Z';
  }
  return { ...event, time: iso };
};

const healthCheckKill = (n: number, iso: string): Json =>
  at(stoppedServiceTask('health-check', n), iso);

/** The incident in delivery order: a redelivered event, a user stop, a 5xx alarm, a person's rollback. */
const incidentEvents = (): Json[] => {
  const started = deploymentEvent('deployment-in-progress-docs', {
    deploymentId: NEW_ID,
    updatedAt: '2020-05-23T11:00:30Z',
    reason: `ECS deployment ${NEW_ID} in progress.`,
  });
  const first = healthCheckKill(1, '2020-05-23T11:02:00Z');
  const alarm = withDetail(
    'cloudwatch-alarm-state-change-single-metric-docs',
    { alarmName: ALARM },
    {
      account: '111122223333',
      region: 'us-west-2',
      time: '2020-05-23T11:06:00Z',
      resources: [`arn:aws:cloudwatch:us-west-2:111122223333:alarm:${ALARM}`],
    },
  );
  const person = deploymentEvent('deployment-in-progress-docs', {
    deploymentId: PERSON_ID,
    updatedAt: '2020-05-23T11:10:00Z',
    reason: `ECS deployment ${PERSON_ID} in progress.`,
  });
  const completed = deploymentEvent('deployment-completed-docs', {
    deploymentId: PERSON_ID,
    updatedAt: '2020-05-23T11:15:00Z',
    reason: `ECS deployment ${PERSON_ID} completed.`,
  });
  return [
    { ...started, time: '2020-05-23T11:00:30Z' },
    first,
    first, // EventBridge delivered it again
    at(stoppedServiceTask('user-stop', 5), '2020-05-23T11:03:00Z'),
    healthCheckKill(2, '2020-05-23T11:04:00Z'),
    healthCheckKill(3, '2020-05-23T11:05:00Z'),
    alarm,
    healthCheckKill(4, '2020-05-23T11:07:00Z'),
    { ...person, time: '2020-05-23T11:10:00Z' },
    { ...completed, time: '2020-05-23T11:15:00Z' },
  ];
};

/**
 * `aws ecs describe-services --cluster default --services servicetest --include TAGS` before the
 * incident, as the embedded endpoint prints it: web:2 completed, 8 tasks, no circuit breaker, and
 * the 5xx alarm named in deploymentConfiguration.alarms with ECS's alarm rollback switched off.
 */
const incidentState = async (): Promise<Json> => {
  const local = await startLocalAws({
    region: 'us-west-2',
    accountId: '111122223333',
    now: new Date('2020-05-23T10:00:00Z'),
  });
  try {
    local.ecs.createCluster('default');
    registerRevision(local, 'web');
    const v2 = registerRevision(local, 'web');
    local.ecs.createService({
      cluster: 'default',
      serviceName: 'servicetest',
      taskDefinition: v2,
      desiredCount: 8,
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: false, rollback: false },
        alarms: { alarmNames: [ALARM], enable: false, rollback: false },
      },
    });
    await local.clock.advance(10 * 60_000);
    const { $metadata: _m, ...output } = await ecsClient(local, { maxAttempts: 3 }).send(
      new DescribeServicesCommand({
        cluster: 'default',
        services: ['servicetest'],
        include: ['TAGS'],
      }),
    );
    return JSON.parse(JSON.stringify(output)) as Json;
  } finally {
    await local.close();
  }
};

/** Writes the incident as JSON Lines and the state as JSON in a new folder. */
const writeIncident = (events: Json[], state: Json) => {
  const dir = mkdtempSync(join(tmpdir(), 'hm-incident-'));
  mkdirSync(join(dir, 'archive'));
  const files = {
    dir,
    events: join(dir, 'archive', 'incident.jsonl'),
    state: join(dir, 'services.json'),
  };
  writeFileSync(files.events, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  writeFileSync(files.state, JSON.stringify(state, null, 2));
  return files;
};

export { ALARM, fixture, incidentEvents, incidentState, PERSON_ID, writeIncident };
