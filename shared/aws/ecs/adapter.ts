import type { ECSClient } from '@aws-sdk/client-ecs';
import { type EcsOperationGroup, type EcsOperationOptions, ecsPortOf } from './operations.ts';
import type { EcsPort } from './port.ts';
import { serviceReads } from './service-reads.ts';
import { serviceUpdates } from './service-updates.ts';
import { taskDefinitionChanges } from './task-definition-changes.ts';
import { taskDefinitionReads } from './task-definition-reads.ts';
import { taskLaunches } from './task-launches.ts';
import { taskReads } from './task-reads.ts';
import { taskStops } from './task-stops.ts';

/** Every group of ECS operations Harbormaster uses. */
const ECS_OPERATIONS: readonly EcsOperationGroup[] = [
  serviceReads,
  serviceUpdates,
  taskReads,
  taskStops,
  taskDefinitionReads,
  taskDefinitionChanges,
  taskLaunches,
];

/** EcsPort over the ECS API with every operation (the functions wire only the ones they use). */
const createEcsAdapter = (client: ECSClient, options: EcsOperationOptions = {}): EcsPort =>
  ecsPortOf(client, ECS_OPERATIONS, options);

export { createEcsAdapter, ECS_OPERATIONS };
