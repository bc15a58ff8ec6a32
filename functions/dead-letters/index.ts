import { lambdaEntry } from '#kernel/lambda.ts';
import { deadLetters } from './definition.ts';

/** Lambda entry point. */
export const handler = await lambdaEntry(deadLetters);
