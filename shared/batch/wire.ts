import { dynamoDbClient } from '#aws/dynamodb-client.ts';
import type { KernelConfig } from '#kernel/config/aws.ts';
import { ConfigError } from '#kernel/errors.ts';
import { type Runtime, requireEnv } from '#kernel/runtime.ts';
import type { BatchJobsConfig } from './config.ts';
import type { JobRunStore } from './ports.ts';
import { createJobRunStore } from './store.ts';

const STAGE = /^[A-Za-z0-9_-]{1,16}$/;

/** JobRunStore over the stack's job runs table, scoped to the deployment stage. */
const wireJobRunStore = (
  runtime: Runtime<KernelConfig & { batchJobs: BatchJobsConfig }>,
): JobRunStore => {
  const stage = requireEnv(runtime, 'HARBORMASTER_STAGE');
  if (!STAGE.test(stage)) {
    throw new ConfigError('the function environment', [
      {
        path: 'HARBORMASTER_STAGE',
        message:
          'expected 1-16 letters, digits, - or _ (it is part of RunTask startedBy, at most 128 characters)',
      },
    ]);
  }
  return createJobRunStore(dynamoDbClient(runtime), requireEnv(runtime, 'JOB_RUNS_TABLE_NAME'), {
    namespace: stage,
    retentionDays: runtime.config.batchJobs.retentionDays,
    now: runtime.now,
  });
};

export { wireJobRunStore };
