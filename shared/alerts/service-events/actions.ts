import type { AlertRenderers, NotifyAction } from '#kernel/alerts/model.ts';
import { renderServiceEvent, type ServiceEventAlert } from './service-event-alert.ts';

/** Every action the service-events decision returns: alerts. */
type ServiceEventAction = NotifyAction<ServiceEventAlert>;

/** How service event alerts are put into words. */
const serviceEventAlertRenderers: AlertRenderers<ServiceEventAlert> = {
  'service-event': renderServiceEvent,
};

export { type ServiceEventAction, serviceEventAlertRenderers };
