import { lambdaEntry } from '#kernel/lambda.ts';
import { chatActions } from './definition.ts';

/** Lambda entry point. */
export const handler = await lambdaEntry(chatActions);
