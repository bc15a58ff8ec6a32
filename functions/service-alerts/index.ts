import { lambdaEntry } from '#kernel/lambda.ts';
import { serviceAlerts } from './definition.ts';

/** Lambda entry point. */
export const handler = await lambdaEntry(serviceAlerts);
