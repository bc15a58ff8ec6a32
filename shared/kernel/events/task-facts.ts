import { clusterName, taskDefinitionRef, taskFromArn } from './arn.ts';
import { classifyStoppedTask, type StopClassification } from './stopped-task.ts';
import type { TaskDetail } from './task-state-change.ts';

/** What a task event tells about the task, derived once at parse time. */
interface TaskFacts {
  taskArn: string;
  taskId: string;
  cluster: string;
  clusterArn: string;
  /** From `group: service:<name>`, the only field of a task event that names the service. */
  service: string | undefined;
  /** From `startedBy: ecs-svc/<digits>`; equals the deploymentId of deployment events. */
  deploymentId: string | undefined;
  startedBy: string | undefined;
  family: string | undefined;
  revision: number | undefined;
  taskDefinitionArn: string | undefined;
  version: number | undefined;
  lastStatus: string;
  stop: StopClassification | undefined;
}

const SERVICE_GROUP = 'service:';
const SERVICE_DEPLOYMENT = /^ecs-svc\/\d+$/;

/** Derives the facts handlers need from a task event's detail and its resources[0]. */
const taskFacts = (detail: TaskDetail, resourceArn: string | undefined): TaskFacts => {
  const taskArn = detail.taskArn ?? resourceArn ?? '';
  const group = detail.group ?? '';
  const startedBy = detail.startedBy;
  const definition = detail.taskDefinitionArn
    ? taskDefinitionRef(detail.taskDefinitionArn)
    : undefined;
  return {
    taskArn,
    taskId: taskFromArn(taskArn)?.taskId ?? taskArn,
    cluster: clusterName(detail.clusterArn),
    clusterArn: detail.clusterArn,
    service: group.startsWith(SERVICE_GROUP) ? group.slice(SERVICE_GROUP.length) : undefined,
    deploymentId: startedBy && SERVICE_DEPLOYMENT.test(startedBy) ? startedBy : undefined,
    startedBy,
    family: definition?.family,
    revision: definition?.revision,
    taskDefinitionArn: detail.taskDefinitionArn,
    version: detail.version,
    lastStatus: detail.lastStatus,
    stop: classifyStoppedTask(detail),
  };
};

export { type TaskFacts, taskFacts };
