import { describe, expect, it } from 'vitest';
import type { ServiceDeploymentState } from '#aws/ecs/service-deployment-state.ts';
import type { ConfigInput } from '#config/schema.ts';
import { guardRunners } from '#guard/actions/index.ts';
import type { RollbackAction } from '#guard/actions/rollback.ts';
import type { DeploymentGuardAlert } from '#guard/deployment-guard-alert.ts';
import { MemoryGuardStore } from '#guard/memory-store.ts';
import { type ServiceDeploymentFacts, serviceDeploymentsOf } from '#guard/service-deployments.ts';
import { execute } from '#kernel/execute.ts';
import { silentTelemetry } from '#kernel/telemetry.ts';
import {
  BLUE,
  deploymentOf,
  FakeServiceDeployments,
  GREEN,
  revisionOf,
} from '#support/delivery.ts';
import { fixture } from '#support/events.ts';
import { awsError, fakePorts } from '#support/fakes.ts';
import {
  decide,
  deploymentEvent,
  guardState,
  NEW_ID,
  NEW_TD,
  NOW,
  newDeployment,
  OLD_TD,
  oldDeployment,
  rollingOut,
  stoppedServiceTask,
  summary,
  watchOf,
} from '#support/guard.ts';

const SD_ARN = 'arn:aws:ecs:us-west-2:111122223333:service-deployment/default/servicetest/Z0sd1';

const facts = (status: string, lifecycleStage: string): ServiceDeploymentFacts => ({
  id: 'Z0sd1',
  targetTaskDefinition: NEW_TD,
  sourceTaskDefinition: OLD_TD,
  deployment: { ...deploymentOf(), arn: SD_ARN, status, lifecycleStage },
});

/** default/servicetest on the CANARY strategy, its deployment backed by a service deployment. */
const canaryState = (sd: ServiceDeploymentFacts | undefined, stopped = 2) => {
  const events = Array.from({ length: stopped }, (_, i) => stoppedServiceTask('crashed', i + 1));
  const state = guardState(rollingOut({ strategy: 'CANARY' }), { stoppedTasks: events });
  if (sd)
    (state.services[0] as { serviceDeployments?: object }).serviceDeployments = { [NEW_ID]: sd };
  return state;
};

const third = () => stoppedServiceTask('crashed', 3);

/** The state with the service deployment behind the new deployment set, as load finds it. */
const withServiceDeployment = (
  state: ReturnType<typeof guardState>,
  sd: ServiceDeploymentFacts | undefined,
) => {
  if (sd)
    (state.services[0] as { serviceDeployments?: object }).serviceDeployments = { [NEW_ID]: sd };
  return state;
};

const rollbackIn = (decision: { actions: readonly { type: string }[] }) =>
  decision.actions.find((a) => a.type === 'rollback') as RollbackAction | undefined;

describe('Deployment guard: blue/green, linear and canary deployments', () => {
  it('rolls a failing canary back with StopServiceDeployment(ROLLBACK), to blue, in the deployment\u2019s thread', () => {
    // Act
    const decision = decide(third(), canaryState(facts('IN_PROGRESS', 'PRODUCTION_TRAFFIC_SHIFT')));
    // Assess
    expect(summary(decision)).toStrictEqual([
      'alert failing',
      'rollback to web:2',
      'alert rolled-back',
    ]);
    const rollback = decision.actions.find((a) => a.type === 'rollback') as RollbackAction;
    expect(rollback.serviceDeployment).toStrictEqual({ arn: SD_ARN });
    const alert = decision.actions.at(-1) as { alert: DeploymentGuardAlert };
    expect(alert.alert.threadId).toBe('ecs-default-servicetest-Z0sd1');
  });

  it('leaves a deployment ECS is already rolling back to ECS', () => {
    // Act
    const decision = decide(
      third(),
      canaryState(facts('ROLLBACK_IN_PROGRESS', 'PRODUCTION_TRAFFIC_SHIFT')),
    );
    // Assess
    expect(summary(decision)).toStrictEqual(['alert failing']);
    expect(decision.reason).toContain('ECS is already rolling service deployment Z0sd1 back');
  });

  it.each<[string, ConfigInput, string[]]>([
    [
      'after CLEAN_UP, redeploys the previous revision by default',
      {},
      ['alert failing', 'rollback to web:2', 'alert rolled-back'],
    ],
    [
      'after CLEAN_UP, only alerts when so configured',
      { deploymentGuard: { afterCleanUp: 'alert' } },
      ['alert failing', 'alert cannot-roll-back'],
    ],
  ])('%s', (_label, config, expected) => {
    // Act
    const decision = decide(third(), canaryState(facts('SUCCESSFUL', 'CLEAN_UP')), config);
    // Assess
    expect(summary(decision)).toStrictEqual(expected);
    expect(rollbackIn(decision)?.serviceDeployment).toBeUndefined();
  });

  it('watches a blue/green deployment when the service deployment behind it is known', () => {
    // Act
    const decision = decide(
      deploymentEvent('deployment-in-progress-docs'),
      withServiceDeployment(
        guardState(rollingOut({ strategy: 'BLUE_GREEN' })),
        facts('IN_PROGRESS', 'SCALE_UP'),
      ),
    );
    // Assess
    expect(summary(decision)).toStrictEqual(['alert started', `watch-deployment ${NEW_ID}`]);
  });

  it('stops a linear deployment still unfinished at its deadline', () => {
    // Prepare: the one-minute sweep, past the 30-minute deadline.
    const time = '2020-05-23T11:30:00Z';
    const state = withServiceDeployment(
      guardState(rollingOut({ strategy: 'LINEAR' }), {
        history: { watches: [watchOf()] },
        refs: [{ deploymentId: NEW_ID }],
      }),
      facts('IN_PROGRESS', 'PRE_PRODUCTION_TRAFFIC_SHIFT'),
    );
    // Act
    const decision = decide(
      { ...fixture('scheduled-event-eventbridge-rule-docs'), time },
      state,
      {},
      new Date(time),
    );
    // Assess
    expect(summary(decision)).toStrictEqual([
      'rollback to web:2',
      'alert rolled-back',
      `end-watch ${NEW_ID}`,
    ]);
    expect(rollbackIn(decision)?.serviceDeployment).toStrictEqual({ arn: SD_ARN });
    expect(rollbackIn(decision)?.record.trigger).toBe('deadline');
  });

  it.each<[string, string, string[], { arn: string } | undefined]>([
    [
      'stops a canary ECS failed without rolling it back',
      'IN_PROGRESS',
      ['alert failed', 'rollback to web:2', 'alert rolled-back'],
      { arn: SD_ARN },
    ],
    [
      'leaves a canary ECS failed and rolls back to ECS',
      'ROLLBACK_IN_PROGRESS',
      ['alert failed'],
      undefined,
    ],
  ])('%s (SERVICE_DEPLOYMENT_FAILED)', (_label, status, expected, stop) => {
    // Prepare: ECS failed the new deployment; no circuit breaker (rolling only) promises a rollback.
    const failed = rollingOut({
      strategy: 'CANARY',
      circuitBreaker: { enable: false, rollback: false },
      deployments: [
        { ...newDeployment, rolloutState: 'FAILED', rolloutStateReason: 'deployment failed' },
        oldDeployment,
      ],
    });
    // Act
    const decision = decide(
      deploymentEvent('deployment-failed-circuit-breaker-docs'),
      withServiceDeployment(guardState(failed), facts(status, 'PRODUCTION_TRAFFIC_SHIFT')),
    );
    // Assess
    expect(summary(decision)).toStrictEqual(expected);
    expect(rollbackIn(decision)?.serviceDeployment).toStrictEqual(stop);
  });

  it('does not roll back when it cannot find the service deployment, and says how to', () => {
    // Act
    const decision = decide(third(), canaryState(undefined));
    // Assess
    expect(summary(decision)).toStrictEqual(['alert failing', 'alert cannot-roll-back']);
    const alert = decision.actions.at(-1) as { alert: DeploymentGuardAlert };
    expect(alert.alert.nextSteps[0]).toContain('aws ecs stop-service-deployment');
  });

  it('keeps CODE_DEPLOY out, with the reason', () => {
    // Act
    const decision = decide(
      fixture('deployment-in-progress-docs'),
      guardState(rollingOut({ deploymentController: 'CODE_DEPLOY' })),
    );
    // Assess
    expect(summary(decision)).toContain('alert not-guarded');
    expect(decision.reason).toContain('CODE_DEPLOY deployment controller');
  });
});

describe('Loading the service deployment behind a deployment', () => {
  const port = (deployments: ServiceDeploymentState[]) => {
    const fake = new FakeServiceDeployments();
    for (const d of deployments) fake.deployments.set(d.arn, d);
    fake.revisions.set(GREEN, revisionOf(GREEN, NEW_TD, undefined));
    fake.revisions.set(BLUE, revisionOf(BLUE, OLD_TD, undefined));
    return fake;
  };
  const ecs = rollingOut({ strategy: 'LINEAR', serviceName: 'servicetest' });

  it('matches the one created with the deployment whose target runs its task definition, in three calls', async () => {
    // Prepare
    const fake = port([
      deploymentOf({ arn: `${SD_ARN}-old`, createdAt: new Date('2020-05-22T09:00:00Z') }),
      deploymentOf({ arn: SD_ARN, createdAt: new Date(newDeployment.createdAt?.getTime() ?? 0) }),
    ]);
    // Act
    const found = await serviceDeploymentsOf(fake, 'default', ecs, [newDeployment]);
    // Assess
    expect(found[NEW_ID]).toMatchObject({
      id: 'Z0sd1',
      targetTaskDefinition: NEW_TD,
      sourceTaskDefinition: OLD_TD,
    });
    expect(fake.calls).toStrictEqual(['list', 'describe 2', 'describeRevisions 2']);
  });

  it('finds none, without a call, for a rolling service', async () => {
    // Prepare
    const fake = port([deploymentOf({ arn: SD_ARN })]);
    // Act
    const found = await serviceDeploymentsOf(fake, 'default', rollingOut(), [newDeployment]);
    // Assess
    expect(found).toStrictEqual({});
    expect(fake.calls).toStrictEqual([]);
  });
});

describe('The guard\u2019s rollback of a blue/green, linear or canary deployment', () => {
  const action = (): RollbackAction => ({
    type: 'rollback',
    cluster: 'default',
    service: 'servicetest',
    taskDefinition: OLD_TD,
    serviceDeployment: { arn: SD_ARN },
    record: {
      cluster: 'default',
      service: 'servicetest',
      fromDeploymentId: NEW_ID,
      fromTaskDefinition: NEW_TD,
      toTaskDefinition: OLD_TD,
      trigger: 'failed-tasks',
      at: NOW.toISOString(),
      rollbackDeploymentId: undefined,
    },
  });

  /** The guard's runners over fakes, through the executor, sharing one lease store. */
  const setup = () => {
    const fake = new FakeServiceDeployments();
    fake.deployments.set(SD_ARN, { ...deploymentOf(), arn: SD_ARN, status: 'IN_PROGRESS' });
    const fakes = fakePorts();
    const guardStore = new MemoryGuardStore();
    const ports = { ...fakes.ports, guardStore, serviceDeployments: fake };
    const run = (requestId: string = crypto.randomUUID(), at = NOW) =>
      execute([action()], guardRunners, {
        ports,
        telemetry: silentTelemetry,
        now: at,
        dryRun: false,
        invocation: { requestId, attemptId: `${requestId}/1`, remainingMs: () => 30_000 },
        leases: fakes.leases,
        clock: () => at,
      });
    return { fake, guardStore, leases: fakes.leases, run, ecsCalls: fakes.ecsCalls };
  };

  it('stops the service deployment with ROLLBACK under the rollback\u2019s lease, once', async () => {
    // Prepare
    const { fake, guardStore, run, ecsCalls } = setup();
    // Act
    const [first] = await run();
    const [again] = await run();
    // Assess
    expect(first).toMatchObject({
      status: 'done',
      detail: 'StopServiceDeployment(ROLLBACK) to web:2: deployment Z0sd1',
    });
    expect(again?.detail).toContain('StopServiceDeployment(ROLLBACK) to web:2');
    expect(fake.calls).toStrictEqual([`stop ${SD_ARN}`]);
    expect(ecsCalls.filter((c) => c.startsWith('updateService'))).toStrictEqual([]);
    expect(guardStore.rollbacks).toHaveLength(1);
  });

  it('takes a refused stop of a deployment ECS is already rolling back as done', async () => {
    // Prepare
    const { fake, run } = setup();
    fake.deployments.set(SD_ARN, { ...deploymentOf(), arn: SD_ARN, status: 'ROLLBACK_REQUESTED' });
    fake.stopWithRollback = async () => {
      throw awsError('ConflictException', 'The service deployment is already being rolled back');
    };
    // Act
    const [outcome] = await run();
    // Assess
    expect(outcome?.status).toBe('done');
  });

  it('ends the lease when ECS refuses the stop for another reason, so that a retry checks, then stops it', async () => {
    // Prepare
    const { fake, run } = setup();
    const stop = fake.stopWithRollback.bind(fake);
    fake.stopWithRollback = async () => {
      throw awsError('ServerException', 'Internal error');
    };
    // Act
    const failed = run();
    await expect(failed).rejects.toThrow('Internal error');
    fake.stopWithRollback = stop;
    const [retried] = await run();
    // Assess
    expect(retried?.status).toBe('done');
    // The refused stop was checked against the deployment's status; the retry checked again (a
    // 5xx may answer a stop that was applied), then stopped it.
    expect(fake.calls).toStrictEqual(['describe 1', 'describe 1', `stop ${SD_ARN}`]);
  });

  it('does not stop again when it takes over the lease of an attempt that died after its stop', async () => {
    // Prepare: an attempt claimed the lease, stopped the deployment, and died before completing.
    const { fake, leases, run } = setup();
    await leases.claim({
      key: `rollback#default/servicetest#${NEW_ID}`,
      holder: { requestId: 'dead', attemptId: 'dead/1' },
      now: NOW.getTime(),
      until: NOW.getTime() + 1_000,
      keepSeconds: 3_600,
    });
    fake.deployments.set(SD_ARN, {
      ...deploymentOf(),
      arn: SD_ARN,
      status: 'ROLLBACK_IN_PROGRESS',
    });
    // Act: another attempt, once the dead one's lease ran out.
    const [outcome] = await run('r-2', new Date(NOW.getTime() + 60_000));
    // Assess
    expect(outcome).toMatchObject({
      status: 'done',
      detail:
        'found the StopServiceDeployment(ROLLBACK) of an earlier attempt to web:2: deployment Z0sd1',
    });
    expect(fake.calls).toStrictEqual([`describe 1`]);
  });
});
