import type { ActionRunner } from '#kernel/runner.ts';
import type { DeliveryStore } from '../ports.ts';
import type { DeploymentProgress } from '../records.ts';

/** Remember a deployment's progress through the gates (the whole record: safe to repeat). */
interface RecordProgressAction {
  type: 'record-progress';
  progress: DeploymentProgress;
}

const recordProgressRunner: ActionRunner<RecordProgressAction, { deliveryStore: DeliveryStore }> = {
  permissions: ['dynamodb:PutItem'],
  describe: (action) =>
    `record the progress of ${action.progress.cluster}/${action.progress.service} deployment ${action.progress.deploymentArn.split('/').pop()}`,
  run: async (action, { ports }) => {
    await ports.deliveryStore.saveProgress(action.progress);
    return { status: 'done', detail: 'progress recorded' };
  },
};

export { type RecordProgressAction, recordProgressRunner };
