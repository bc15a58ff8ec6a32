/**
 * Thread ids group related alerts in one chat thread (Amazon Q Developer's metadata.threadId):
 * one thread per service deployment, so "started, failing, rolled back, completed" read as a story.
 */

// ECS names are at most 255 characters; a longer value (hostile) is cut before it is slugged.
const slug = (value: string): string => value.slice(0, 255).replace(/[^A-Za-z0-9_.-]+/g, '-');

/** The thread of one service deployment. */
const deploymentThreadId = (cluster: string, service: string, deploymentId: string): string =>
  `ecs-${slug(cluster)}-${slug(service)}-${slug(deploymentId.replace(/^ecs-svc\//, ''))}`;

/** The thread of a service when no deployment is known. */
const serviceThreadId = (cluster: string, service: string): string =>
  `ecs-${slug(cluster)}-${slug(service)}`;

export { deploymentThreadId, serviceThreadId };
