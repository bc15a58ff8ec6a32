import { lambdaEntry } from '#kernel/lambda.ts';
import { deploymentGuard } from './definition.ts';

/** Lambda entry point. */
export const handler = await lambdaEntry(deploymentGuard);
