import { deploymentAlerts, ecsRollback, placementFailure } from './alerts.ts';
import { batchRun } from './batch.ts';
import { chatOperations } from './chat.ts';
import { canaryAnalysis, linearApproval, policyGate, quietAnalysis } from './delivery.ts';
import { guardRollback } from './guard.ts';
import { policyEnforcement } from './policies.ts';
import type { Scenario } from './scenario.ts';
import { ecsStorm } from './storm.ts';

/** Every scenario `npm start` can play, in the order it plays them. */
const SCENARIOS: Scenario[] = [
  deploymentAlerts,
  placementFailure,
  ecsRollback,
  guardRollback,
  policyEnforcement,
  batchRun,
  canaryAnalysis,
  policyGate,
  linearApproval,
  quietAnalysis,
  chatOperations,
];

/**
 * Scenarios played only when named (`npm start -- storm`): the storm plays 1,000 tasks through two
 * deployments and thousands of invocations, about 15 CPU-seconds on the embedded endpoint.
 */
const NAMED_SCENARIOS: Scenario[] = [ecsStorm];

export { NAMED_SCENARIOS, SCENARIOS };
