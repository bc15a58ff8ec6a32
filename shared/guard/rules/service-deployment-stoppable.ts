import { stopStateOf } from '../service-deployments.ts';
import type { RollbackRule } from './rule.ts';

/**
 * A blue/green, linear or canary deployment is rolled back with StopServiceDeployment(ROLLBACK)
 * while ECS can still shift traffic back to blue. One ECS is rolling back already is left to it.
 * Once CLEAN_UP removed blue (or ECS stopped the deployment), a rollback is a new deployment of
 * the previous revision: `deploymentGuard.afterCleanUp` says whether the guard makes it.
 */
const serviceDeploymentStoppable: RollbackRule = {
  id: 'service-deployment-stoppable',
  title:
    'A blue/green, linear or canary deployment is stopped with ROLLBACK while ECS can shift traffic back to blue; after CLEAN_UP, afterCleanUp decides',
  check: ({ facts }) => {
    const sd = facts.serviceDeployment;
    if (!sd) return undefined;
    const { status, lifecycleStage } = sd.deployment;
    switch (stopStateOf(sd.deployment)) {
      case 'stoppable':
        return undefined;
      case 'rolling-back':
        return {
          outcome: 'ignore',
          reason: `ECS is already rolling service deployment ${sd.id} back (${status})`,
          nextSteps: [],
        };
      case 'rolled-back':
        return {
          outcome: 'ignore',
          reason: `service deployment ${sd.id} was already rolled back`,
          nextSteps: [],
        };
      case 'finished':
        if (facts.settings.afterCleanUp === 'redeploy') return undefined;
        return {
          outcome: 'block',
          reason: `service deployment ${sd.id} is ${status}${lifecycleStage ? ` (${lifecycleStage})` : ''}: blue is gone, and a rollback would be a new deployment of the previous revision (deploymentGuard.afterCleanUp is alert)`,
          nextSteps: [
            'Deploy the previous task definition if the service needs it.',
            'To let Harbormaster deploy it, set deploymentGuard.afterCleanUp to redeploy.',
          ],
        };
    }
  },
};

export { serviceDeploymentStoppable };
