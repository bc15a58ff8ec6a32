import { lambdaEntry } from '../../shared/runtime/lambda.ts';
import { deploymentGuard } from './handler.ts';

/** Lambda entry point. */
export const handler = await lambdaEntry(deploymentGuard);
