import { lambdaEntry } from '../../shared/runtime/lambda.ts';
import { batchJobs } from './handler.ts';

/** Lambda entry point. */
export const handler = await lambdaEntry(batchJobs);
