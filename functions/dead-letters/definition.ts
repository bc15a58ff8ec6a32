import { alertsSection } from '#alerts/config.ts';
import { type AlertPorts, notifyRunner } from '#alerts/notify.ts';

import { wireAlerts } from '#alerts/wire.ts';
import { wireLeaseStore } from '#aws/leases.ts';
import {
  type DeadLetterAction,
  deadLetterAlertRenderers,
  deadLetterRunners,
} from '#dead-letters/actions.ts';
import { decideDeadLetter } from '#dead-letters/decide.ts';
import {
  type DestinationRecord,
  parseDestinationRecord,
} from '#dead-letters/destination-record.ts';
import type { DeadLetterQueue } from '#dead-letters/ports.ts';
import { wireDeadLetterQueue } from '#dead-letters/wire.ts';
import { awsSection } from '#kernel/config/aws.ts';
import { parseArn } from '#kernel/events/arn.ts';
import type { FunctionConfig, FunctionDefinition } from '#kernel/function-definition.ts';

const sections = { aws: awsSection, alerts: alertsSection };

/**
 * The on-failure destination of every asynchronously invoked function: says which function gave
 * up on which event and what was left undone, then parks the record in the dead-letter queue.
 */
const deadLetters: FunctionDefinition<
  DestinationRecord,
  undefined,
  FunctionConfig<typeof sections>,
  AlertPorts & { deadLetters: DeadLetterQueue },
  DeadLetterAction
> = {
  name: 'dead-letters',
  reads: [],
  configSections: sections,
  runners: {
    ...deadLetterRunners,
    notify: notifyRunner(deadLetterAlertRenderers),
  },
  parse: parseDestinationRecord,
  context: (record) => {
    const arn = parseArn(record.requestContext.functionArn);
    return {
      subject: { account: arn?.account ?? 'unknown', region: arn?.region ?? 'unknown' },
      eventId: record.requestContext.requestId,
      summary: `dead-lettered invocation of ${record.requestContext.functionArn}`,
      consequence: 'A failed invocation was neither alerted nor parked in the dead-letter queue.',
    };
  },
  load: async () => undefined,
  decide: (record) => decideDeadLetter(record),
  wire: async (runtime) => ({
    ...(await wireAlerts(runtime)),
    leases: wireLeaseStore(runtime),
    deadLetters: wireDeadLetterQueue(runtime),
  }),
};

export { deadLetters };
