import type { AnyFunctionDefinition } from '../shared/runtime/function-definition.ts';
import { batchJobs } from './batch-jobs/handler.ts';
import { deadLetters } from './dead-letters/handler.ts';
import { deploymentGuard } from './deployment-guard/handler.ts';
import { policyEnforcer } from './policy-enforcer/handler.ts';
import { serviceAlerts } from './service-alerts/handler.ts';

/** Every Harbormaster function by its name in serverless.yml, for the CLI, local runs and tests. */
const FUNCTIONS: Record<string, AnyFunctionDefinition> = {
  'batch-jobs': batchJobs,
  'service-alerts': serviceAlerts,
  'dead-letters': deadLetters,
  'policy-enforcer': policyEnforcer,
  'deployment-guard': deploymentGuard,
};

/**
 * The functions `harbormaster replay` runs recorded events through: an event goes to the first
 * that handles its kind. A function joins when its ports are among the replay world's
 * (shared/replay/replay-engine.ts).
 */
const REPLAYABLE: readonly AnyFunctionDefinition[] = [deploymentGuard];

export { FUNCTIONS, REPLAYABLE };
