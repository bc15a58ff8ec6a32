import type { Decision } from '#kernel/decision.ts';
import type { GuardAction } from './actions/index.ts';
import type { GuardConfig } from './config.ts';
import { decideAlarm } from './decide-alarm.ts';
import { decideDeploymentEvent } from './decide-deployment.ts';
import { decideSweep } from './decide-sweep.ts';
import { decideTaskStopped } from './decide-task.ts';
import type { GuardEvent, GuardState } from './state.ts';

/**
 * The deployment guard's decision: a pure function of the event, what ECS and the guard's memory
 * say (the state), the configuration and the time. Live and replayed events go through it alike.
 */
const decideDeploymentGuard = (
  event: GuardEvent,
  state: GuardState,
  config: GuardConfig,
  now: Date,
): Decision<GuardAction> => {
  switch (event.kind) {
    case 'task-state-change':
      return decideTaskStopped(event, state, config, now);
    case 'deployment-state-change':
      return decideDeploymentEvent(event, state, config, now);
    case 'alarm-state-change':
      return decideAlarm(event, state, config, now);
    case 'scheduled':
      return decideSweep(event, state, config, now);
  }
};

export { decideDeploymentGuard };
