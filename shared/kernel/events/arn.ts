/**
 * ECS ARNs in both formats that appear in real events: the old `task/<id>` and `service/<name>`,
 * and the new `task/<cluster>/<id>` and `service/<cluster>/<name>`.
 */

/** The parts of an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Splits an ARN into its parts; undefined when the string is not an ARN. */
const parseArn = (value: string): Arn | undefined => {
  // The first five colons only: the resource keeps its own, however many (no split of the rest).
  if (!value.startsWith('arn:')) return undefined;
  const cuts = [3];
  for (let i = 0; i < 4; i += 1) {
    const next = value.indexOf(':', (cuts[i] as number) + 1);
    if (next === -1) return undefined;
    cuts.push(next);
  }
  const [, a = 0, b = 0, c = 0, d = 0] = cuts;
  return {
    partition: value.slice(4, a),
    service: value.slice(a + 1, b),
    region: value.slice(b + 1, c),
    account: value.slice(c + 1, d),
    resource: value.slice(d + 1),
  };
};

/** The resource of an ECS ARN of `type`, after `type/`; undefined for another ARN. */
const resourceOf = (arn: string, type: string): string | undefined => {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'ecs' || !parsed.resource.startsWith(`${type}/`)) return undefined;
  const rest = parsed.resource.slice(type.length + 1);
  return rest === '' ? undefined : rest;
};

/** The cluster name of a cluster ARN, or the value itself when it is already a name. */
const clusterName = (clusterArnOrName: string): string => {
  if (!clusterArnOrName.startsWith('arn:')) return clusterArnOrName;
  return resourceOf(clusterArnOrName, 'cluster') ?? clusterArnOrName;
};

/** A service named by its ARN: the cluster is known only in the new ARN format. */
interface ServiceRef {
  cluster: string | undefined;
  service: string;
}

/** Cluster and service of a service ARN; undefined when it is not an ECS service ARN. */
const serviceFromArn = (serviceArn: string): ServiceRef | undefined => {
  const rest = resourceOf(serviceArn, 'service');
  if (rest === undefined) return undefined;
  const slash = rest.indexOf('/');
  if (slash === -1) return { cluster: undefined, service: rest };
  return { cluster: rest.slice(0, slash), service: rest.slice(slash + 1) };
};

/** Cluster (new format only) and id of a task ARN. */
const taskFromArn = (
  taskArn: string,
): { cluster: string | undefined; taskId: string } | undefined => {
  const rest = resourceOf(taskArn, 'task');
  if (rest === undefined) return undefined;
  const slash = rest.indexOf('/');
  if (slash === -1) return { cluster: undefined, taskId: rest };
  return { cluster: rest.slice(0, slash), taskId: rest.slice(rest.lastIndexOf('/') + 1) };
};

/** The parts of a service deployment or service revision ARN: `<type>/<cluster>/<service>/<id>`. */
interface ServiceDeploymentRef {
  cluster: string;
  service: string;
  id: string;
}

const serviceChild = (arn: string, type: string): ServiceDeploymentRef | undefined => {
  const rest = resourceOf(arn, type);
  if (rest === undefined) return undefined;
  // Exactly three segments, found by indexOf (linear in the ARN, whatever its length).
  const first = rest.indexOf('/');
  const second = first === -1 ? -1 : rest.indexOf('/', first + 1);
  if (second === -1 || rest.indexOf('/', second + 1) !== -1) return undefined;
  const cluster = rest.slice(0, first);
  const service = rest.slice(first + 1, second);
  const id = rest.slice(second + 1);
  return cluster && service && id ? { cluster, service, id } : undefined;
};

/** Cluster, service and id of a service deployment ARN (`service-deployment/<c>/<s>/<id>`). */
const serviceDeploymentFromArn = (arn: string): ServiceDeploymentRef | undefined =>
  serviceChild(arn, 'service-deployment');

/** Cluster, service and id of a service revision ARN (`service-revision/<c>/<s>/<id>`). */
const serviceRevisionFromArn = (arn: string): ServiceDeploymentRef | undefined =>
  serviceChild(arn, 'service-revision');

/** Family and revision of a task definition ARN or `family:revision` string. */
const taskDefinitionRef = (value: string): { family: string; revision: number | undefined } => {
  const name = value.startsWith('arn:') ? (resourceOf(value, 'task-definition') ?? value) : value;
  const match = /^(.*):(\d+)$/.exec(name);
  return match?.[1] && match[2]
    ? { family: match[1], revision: Number(match[2]) }
    : { family: name, revision: undefined };
};

/** `family:revision` for display, from an ARN or a short form. */
const shortTaskDefinition = (value: string): string => {
  const { family, revision } = taskDefinitionRef(value);
  return revision === undefined ? family : `${family}:${revision}`;
};

export {
  type Arn,
  clusterName,
  parseArn,
  type ServiceDeploymentRef,
  type ServiceRef,
  serviceDeploymentFromArn,
  serviceFromArn,
  serviceRevisionFromArn,
  shortTaskDefinition,
  taskDefinitionRef,
  taskFromArn,
};
