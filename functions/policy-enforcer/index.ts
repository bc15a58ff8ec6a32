import { lambdaEntry } from '#kernel/lambda.ts';
import { policyEnforcer } from './definition.ts';

/** Lambda entry point. */
export const handler = await lambdaEntry(policyEnforcer);
