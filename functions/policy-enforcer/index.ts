import { lambdaEntry } from '../../shared/runtime/lambda.ts';
import { policyEnforcer } from './handler.ts';

/** Lambda entry point. */
export const handler = await lambdaEntry(policyEnforcer);
