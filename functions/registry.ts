import type { AnyFunctionDefinition } from '../shared/runtime/function-definition.ts';
import { batchJobs } from './batch-jobs/handler.ts';
import { deadLetters } from './dead-letters/handler.ts';
import { serviceAlerts } from './service-alerts/handler.ts';

/** Every Harbormaster function by its name in serverless.yml, for the CLI, local runs and tests. */
const FUNCTIONS: Record<string, AnyFunctionDefinition> = {
  'service-alerts': serviceAlerts,
  'dead-letters': deadLetters,
  'batch-jobs': batchJobs,
};

export { FUNCTIONS };
