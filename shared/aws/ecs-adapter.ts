import type { ECSClient } from '@aws-sdk/client-ecs';
import type { EcsPort } from '../core/ports.ts';
import { type EcsOperationGroup, type EcsOperationOptions, ecsPortOf } from './ecs/operations.ts';
import { serviceReads } from './ecs/service-reads.ts';
import { serviceUpdates } from './ecs/service-updates.ts';
import { taskDefinitionChanges } from './ecs/task-definition-changes.ts';
import { taskDefinitionReads } from './ecs/task-definition-reads.ts';
import { taskLaunches } from './ecs/task-launches.ts';
import { taskReads } from './ecs/task-reads.ts';
import { taskStops } from './ecs/task-stops.ts';

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
