import { revision } from '../account.ts';
import { elapse, type Scenario } from './scenario.ts';

/**
 * A deployment whose tasks start and then crash: ECS's circuit breaker never counts them (a task
 * that reached RUNNING resets it), so ECS would cycle them for hours. The guard counts them and
 * rolls back after the third.
 */
const guardRollback: Scenario = {
  name: 'guard-rollback',
  title: 'The deployment guard rolls back tasks that start and then crash',
  explains: [
    'prod/payments deploys an image whose app exits with code 1 a few seconds after it starts.',
    "ECS's circuit breaker never trips on that (each task reached RUNNING); Harbormaster counts",
    'each crash against the deployment and rolls back to the last completed task definition after',
    'the third, then reports it in the deployment\u2019s thread: failing, rolled back, completed.',
  ],
  run: async (stack) => {
    const broken = revision(
      stack,
      'payments',
      '111122223333.dkr.ecr.us-east-1.amazonaws.com/payments:4.4.0',
    );
    stack.local.ecs.setBehavior(broken, { kind: 'crash', afterMs: 8_000, exitCode: 1 });
    stack.local.ecs.call('UpdateService', {
      cluster: 'prod',
      service: 'payments',
      taskDefinition: broken,
    });
    await elapse(stack, 10);
  },
};

export { guardRollback };
