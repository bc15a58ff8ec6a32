import type { RevertToCompliantAction } from '../core/action.ts';
import { shortTaskDefinition } from '../events/arn.ts';
import type { ActionRunner } from './runner.ts';

/**
 * Rolls a service back to its last compliant revision with UpdateService, but only while it still
 * runs the non-compliant one: compare, then set. A redelivered event, a late one, or a deployment
 * made since finds another revision there and does nothing.
 */
const revertToCompliant: ActionRunner<RevertToCompliantAction> = {
  permissions: ['ecs:DescribeServices', 'ecs:UpdateService'],
  describe: (action) =>
    `roll ${action.cluster}/${action.service} back from ${shortTaskDefinition(action.from)} to ${shortTaskDefinition(action.to)} (${action.reason})`,
  run: async (action, { ports }) => {
    const service = await ports.ecs.describeService(action.cluster, action.service);
    if (service?.status !== 'ACTIVE') {
      return { status: 'skipped', detail: 'the service is no longer active' };
    }
    if (service.taskDefinition !== action.from) {
      return {
        status: 'skipped',
        detail: `the service runs ${shortTaskDefinition(service.taskDefinition)} now, not ${shortTaskDefinition(action.from)}`,
      };
    }
    await ports.ecs.updateServiceTaskDefinition(action.cluster, action.service, action.to);
    return { status: 'done', detail: `deployed ${shortTaskDefinition(action.to)}` };
  },
};

export { revertToCompliant };
