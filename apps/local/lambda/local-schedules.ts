import type { LocalScheduleSpec } from '@harbormaster/local-aws';
import type { Config } from '#config/schema.ts';
import { batchJobsResources } from '#infra/stack/batch-jobs.ts';

type ScheduleProperties = {
  Name: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  State: 'ENABLED' | 'DISABLED';
};

/**
 * The EventBridge Scheduler schedules the stack deploys for a configuration, read from the same
 * generator (infra/stack/batch-jobs.ts), so local runs fire exactly what would be deployed.
 */
const localSchedules = (config: Config, stage: string): LocalScheduleSpec[] =>
  Object.values(batchJobsResources(config))
    .filter((resource) => (resource as { Type: string }).Type === 'AWS::Scheduler::Schedule')
    .map((resource) => {
      const p = (resource as { Properties: ScheduleProperties }).Properties;
      return {
        name: p.Name,
        group: `harbormaster-${stage}`,
        expression: p.ScheduleExpression,
        timezone: p.ScheduleExpressionTimezone,
        state: p.State,
        target: 'batch-jobs',
      };
    });

export { localSchedules };
