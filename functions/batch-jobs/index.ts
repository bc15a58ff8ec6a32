import { lambdaEntry } from '#kernel/lambda.ts';
import { batchJobs } from './definition.ts';

/** Lambda entry point. */
export const handler = await lambdaEntry(batchJobs);
