import { lambdaEntry } from '../../shared/runtime/lambda.ts';
import { deadLetters } from './handler.ts';

/** Lambda entry point. */
export const handler = await lambdaEntry(deadLetters);
