import { lambdaEntry } from '#kernel/lambda.ts';
import { deploymentHooks } from './definition.ts';

/** Lambda entry point. */
export const handler = await lambdaEntry(deploymentHooks);
