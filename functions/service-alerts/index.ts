import { lambdaEntry } from '../../shared/runtime/lambda.ts';
import { serviceAlerts } from './handler.ts';

/** Lambda entry point. */
export const handler = await lambdaEntry(serviceAlerts);
