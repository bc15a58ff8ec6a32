import { revision } from '../account.ts';
import { elapse, type Scenario } from './scenario.ts';

/** A healthy rolling deployment, alerted as one thread: started (with the revisions), completed. */
const deploymentAlerts: Scenario = {
  name: 'deployment',
  title: 'A deployment, alerted from start to finish',
  explains: [
    'prod/payments deploys a new image. Both alerts land in one chat thread for the deployment.',
  ],
  run: async (stack) => {
    const next = revision(
      stack,
      'payments',
      '111122223333.dkr.ecr.us-east-1.amazonaws.com/payments:4.3.0',
    );
    stack.local.ecs.call('UpdateService', {
      cluster: 'prod',
      service: 'payments',
      taskDefinition: next,
    });
    await elapse(stack, 10);
  },
};

/** ECS cannot place tasks: the alert says why (RESOURCE:FARGATE) and what to do; repeats are dropped. */
const placementFailure: Scenario = {
  name: 'placement-failure',
  title: 'Tasks that cannot be placed',
  explains: [
    'staging/worker scales to 4 tasks but the capacity provider has room for 2.',
    'ECS repeats the event; Harbormaster alerts once per hour per reason (the deduplication window).',
  ],
  run: async (stack) => {
    stack.local.ecs.setCapacity('staging', { maxRunningTasks: 2, reason: 'RESOURCE:FARGATE' });
    stack.local.ecs.call('UpdateService', {
      cluster: 'staging',
      service: 'worker',
      desiredCount: 4,
    });
    await elapse(stack, 15);
    stack.local.ecs.setCapacity('staging', { maxRunningTasks: 100 });
    stack.local.ecs.call('UpdateService', {
      cluster: 'staging',
      service: 'worker',
      desiredCount: 1,
    });
    await elapse(stack, 5);
  },
};

/** ECS's own circuit breaker rolls a bad image back; every step is alerted in the deployment's thread. */
const ecsRollback: Scenario = {
  name: 'ecs-rollback',
  title: "ECS's circuit breaker rolls back an image that cannot be pulled",
  explains: [
    'prod/web deploys an image tag that does not exist. Tasks fail to start; ECS backs off, reports',
    'SERVICE_TASK_START_IMPAIRED, trips its breaker after 3 failures and rolls back by itself.',
  ],
  run: async (stack) => {
    const broken = revision(
      stack,
      'web',
      '111122223333.dkr.ecr.us-east-1.amazonaws.com/web:does-not-exist',
    );
    stack.local.ecs.setBehavior(broken, { kind: 'image-pull-failure' });
    stack.local.ecs.call('UpdateService', {
      cluster: 'prod',
      service: 'web',
      taskDefinition: broken,
    });
    await elapse(stack, 30);
  },
};

export { deploymentAlerts, ecsRollback, placementFailure };
