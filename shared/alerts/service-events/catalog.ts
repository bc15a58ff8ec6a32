/**
 * What each ECS Service Action event means and what to do about it, in words an on-call engineer
 * can act on (event list: reference/ecs-events-and-apis.md section 4).
 */
interface ServiceEventGuide {
  headline: string;
  explanation: string;
  nextSteps: string[];
}

const CATALOG: Readonly<Record<string, ServiceEventGuide>> = {
  SERVICE_TASK_START_IMPAIRED: {
    headline: 'cannot consistently start tasks',
    explanation:
      'ECS keeps failing to start tasks for this service and now backs off between attempts (up to 15 minutes apart, indefinitely).',
    nextSteps: [
      'Open the stopped tasks and read their stopped reason (image pull, secrets, ENI or health check failures).',
      'Fix the cause and deploy a new task definition: a new deployment resets the back-off.',
    ],
  },
  SERVICE_TASK_PLACEMENT_FAILURE: {
    headline: 'cannot place tasks',
    explanation: 'ECS could not find capacity that satisfies the tasks\u2019 requirements.',
    nextSteps: [
      'Check the capacity providers or container instances of the cluster (CPU, memory, ports, ENIs).',
      'For Fargate Spot, add an on-demand FARGATE provider to the capacity provider strategy as a fallback.',
    ],
  },
  SERVICE_TASK_CONFIGURATION_FAILURE: {
    headline: 'task configuration was rejected',
    explanation:
      'ECS could not start tasks because of their configuration (for example tags on a cluster without the new ARN format, or a task role ECS cannot assume).',
    nextSteps: [
      'Read the reason below, then correct the service or task definition configuration.',
      'Check the task role\u2019s trust policy and the account\u2019s ECS ARN format settings.',
    ],
  },
  SERVICE_DISCOVERY_INSTANCE_UNHEALTHY: {
    headline: 'has unhealthy Cloud Map instances',
    explanation: 'Cloud Map reports tasks of this service as unhealthy.',
    nextSteps: [
      'Check the health check configuration and the application logs of the affected tasks.',
    ],
  },
  VPC_LATTICE_TARGET_UNHEALTHY: {
    headline: 'has unhealthy VPC Lattice targets',
    explanation: 'VPC Lattice reports targets of this service as unhealthy.',
    nextSteps: [
      'Check the target group health check and the application logs of the affected tasks.',
    ],
  },
  SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED: {
    headline: 'daemon tasks violate placement constraints',
    explanation: 'A daemon service task no longer satisfies its placement constraints.',
    nextSteps: [
      'Review the service placement constraints against the container instances\u2019 attributes.',
    ],
  },
  ECS_OPERATION_THROTTLED: {
    headline: 'ECS was throttled acting for this service',
    explanation:
      'Calls ECS makes on the service\u2019s behalf (load balancer, EC2 or Cloud Map) were throttled, which slows deployments and scaling.',
    nextSteps: [
      'Look for other automation calling the same APIs heavily in this account and Region.',
      'Consider spreading deployments over time or requesting higher quotas.',
    ],
  },
  SERVICE_DISCOVERY_OPERATION_THROTTLED: {
    headline: 'Cloud Map calls were throttled',
    explanation: 'ECS\u2019s calls to Cloud Map for this service were throttled.',
    nextSteps: [
      'Reduce concurrent registrations (deploy fewer services at once) or raise the Cloud Map quota.',
    ],
  },
  SERVICE_HEALTH_UNKNOWN: {
    headline: 'health is unknown',
    explanation: 'ECS could not determine the health of this service\u2019s tasks.',
    nextSteps: ['Check the load balancer and health check configuration for this service.'],
  },
  SERVICE_DEPLOYMENT_FAILED: {
    headline: 'deployment failed',
    explanation: 'ECS marked the current deployment as failed.',
    nextSteps: [
      'Check whether ECS is rolling back (deployments tab) and read the stopped reasons of the new tasks.',
    ],
  },
};

const PLACEMENT_REASONS: Readonly<Record<string, string>> = {
  'RESOURCE:CPU': 'not enough CPU left on the registered container instances',
  'RESOURCE:MEMORY': 'not enough memory left on the registered container instances',
  'RESOURCE:FARGATE': 'no Fargate capacity available (common with FARGATE_SPOT)',
  'RESOURCE:PORTS': 'the required host ports are already in use',
  'RESOURCE:ENI': 'no elastic network interfaces left to attach',
  AGENT: 'the container agent is disconnected',
  ATTRIBUTE: 'no container instance has the required attributes',
};

const GENERIC: ServiceEventGuide = {
  headline: 'reported a problem',
  explanation:
    'ECS reported an event for this service that Harbormaster has no specific advice for.',
  nextSteps: ['Open the service events in the ECS console for the full message.'],
};

// Event names and reasons come from events: looked up as own keys only, so that "constructor" or
// "__proto__" finds nothing rather than Object.prototype's members.
const own = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

/** The guide for an event name, with a generic fallback for events ECS adds later. */
const serviceEventGuide = (eventName: string): ServiceEventGuide =>
  own(CATALOG, eventName) ?? GENERIC;

/** A plain explanation of a placement failure reason such as RESOURCE:CPU. */
const explainPlacementReason = (reason: string): string | undefined =>
  own(PLACEMENT_REASONS, reason) ??
  Object.entries(PLACEMENT_REASONS).find(([prefix]) => reason.startsWith(prefix))?.[1];

export { explainPlacementReason, type ServiceEventGuide, serviceEventGuide };
