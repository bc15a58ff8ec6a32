import { deploymentAlerts, ecsRollback, placementFailure } from './alerts.ts';
import { batchRun } from './batch.ts';
import { chatOperations } from './chat.ts';
import { canaryAnalysis, linearApproval, policyGate, quietAnalysis } from './delivery.ts';
import { guardRollback } from './guard.ts';
import { policyEnforcement } from './policies.ts';
import type { Scenario } from './scenario.ts';

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

export { SCENARIOS };
