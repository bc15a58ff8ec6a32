import type { AnyFunctionDefinition } from '#kernel/function-definition.ts';
import { batchJobs } from './batch-jobs/definition.ts';
import { chatActions } from './chat-actions/definition.ts';
import { deadLetters } from './dead-letters/definition.ts';
import { deploymentGuard } from './deployment-guard/definition.ts';
import { deploymentHooks } from './deployment-hooks/definition.ts';
import { policyEnforcer } from './policy-enforcer/definition.ts';
import { serviceAlerts } from './service-alerts/definition.ts';

/** Every Harbormaster function by its name in serverless.yml, for the CLI, local runs and tests. */
const FUNCTIONS: Record<string, AnyFunctionDefinition> = {
  'batch-jobs': batchJobs,
  'service-alerts': serviceAlerts,
  'dead-letters': deadLetters,
  'policy-enforcer': policyEnforcer,
  'deployment-guard': deploymentGuard,
  'deployment-hooks': deploymentHooks,
  'chat-actions': chatActions,
};

/**
 * The functions `harbormaster replay` runs recorded events through: every one that handles an
 * event's kind decides on it, as the deployed stack's rules route it. The dead-letters function
 * takes Lambda's failure records, not events, so it is not among them.
 */
const REPLAYABLE: readonly AnyFunctionDefinition[] = [
  serviceAlerts,
  deploymentGuard,
  policyEnforcer,
  batchJobs,
  deploymentHooks,
];

export { FUNCTIONS, REPLAYABLE };
