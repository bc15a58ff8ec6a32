import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  type ServiceDeploymentStatus,
  StopServiceDeploymentCommand,
} from '@aws-sdk/client-ecs';
import {
  type ServiceDeploymentBriefState,
  type ServiceDeploymentState,
  type ServiceRevisionState,
  toServiceDeploymentBrief,
  toServiceDeploymentState,
  toServiceRevisionState,
} from './service-deployment-state.ts';

// DescribeServiceDeployments and DescribeServiceRevisions take at most 20 ARNs per call.
const ARNS_PER_CALL = 20;

/** The service deployment APIs of the blue/green, linear and canary strategies. */
interface ServiceDeploymentsPort {
  /** The service's deployments, newest first, in the given statuses (every status if none). */
  list(
    cluster: string,
    service: string,
    options?: { statuses?: readonly string[]; limit?: number },
  ): Promise<ServiceDeploymentBriefState[]>;
  /** The deployments ECS knows of these ARNs (unknown ones are left out). */
  describe(arns: readonly string[]): Promise<ServiceDeploymentState[]>;
  /** The revisions ECS knows of these ARNs (unknown ones are left out). */
  describeRevisions(arns: readonly string[]): Promise<ServiceRevisionState[]>;
  /** StopServiceDeployment with stopType ROLLBACK: traffic goes back to the blue revision. */
  stopWithRollback(arn: string): Promise<void>;
  /** ContinueServiceDeployment of a paused hook; the API requires both the ARN and the hook id. */
  continueDeployment(arn: string, hookId: string, action: 'CONTINUE' | 'ROLLBACK'): Promise<void>;
}

/** The IAM actions of the reads, and of each change. */
const SERVICE_DEPLOYMENT_READS = [
  'ecs:ListServiceDeployments',
  'ecs:DescribeServiceDeployments',
  'ecs:DescribeServiceRevisions',
] as const;

const batches = <T>(items: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / ARNS_PER_CALL) }, (_, i) =>
    items.slice(i * ARNS_PER_CALL, (i + 1) * ARNS_PER_CALL),
  );

const newestFirst = (a: { createdAt: Date | undefined }, b: { createdAt: Date | undefined }) =>
  (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0);

/** ServiceDeploymentsPort over the ECS API. */
const createServiceDeploymentsAdapter = (client: ECSClient): ServiceDeploymentsPort => ({
  list: async (cluster, service, options = {}) => {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const found: ServiceDeploymentBriefState[] = [];
    let nextToken: string | undefined;
    do {
      const output = await client.send(
        new ListServiceDeploymentsCommand({
          cluster,
          service,
          ...(options.statuses ? { status: options.statuses as ServiceDeploymentStatus[] } : {}),
          maxResults: Math.min(100, Math.max(1, limit - found.length)),
          nextToken,
        }),
      );
      found.push(...(output.serviceDeployments ?? []).map(toServiceDeploymentBrief));
      nextToken = output.nextToken;
    } while (nextToken && found.length < limit);
    return found.sort(newestFirst).slice(0, limit);
  },
  describe: async (arns) => {
    const found: ServiceDeploymentState[] = [];
    for (const batch of batches(arns)) {
      const output = await client.send(
        new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }),
      );
      found.push(...(output.serviceDeployments ?? []).map(toServiceDeploymentState));
    }
    return found;
  },
  describeRevisions: async (arns) => {
    const found: ServiceRevisionState[] = [];
    for (const batch of batches(arns)) {
      const output = await client.send(
        new DescribeServiceRevisionsCommand({ serviceRevisionArns: batch }),
      );
      found.push(...(output.serviceRevisions ?? []).map(toServiceRevisionState));
    }
    return found;
  },
  stopWithRollback: async (arn) => {
    await client.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }),
    );
  },
  continueDeployment: async (arn, hookId, action) => {
    await client.send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action }),
    );
  },
});

export { createServiceDeploymentsAdapter, SERVICE_DEPLOYMENT_READS, type ServiceDeploymentsPort };
