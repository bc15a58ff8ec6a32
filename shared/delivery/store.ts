import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { serviceDeploymentFromArn } from '#kernel/events/arn.ts';
import type { DeliveryStore } from './ports.ts';
import type { DeploymentProgress } from './records.ts';

// A deployment's progress is kept a month after its last change (TTL cleans it up).
const KEEP_SECONDS = 30 * 24 * 60 * 60;

const pk = (cluster: string, service: string): string => `delivery#${cluster}/${service}`;
const sk = (deploymentId: string): string => `deployment#${deploymentId}`;

/**
 * DeliveryStore over the deployment guard's table (`pk`, `sk`, TTL `expiresAt`), in items of its
 * own: `delivery#<cluster>/<service>` / `deployment#<service deployment id>`. Reads are strongly
 * consistent: the next hook of a deployment must see what the previous one wrote.
 */
const createDeliveryStore = (client: DynamoDBClient, tableName: string): DeliveryStore => ({
  progress: async (cluster, service, deploymentId) => {
    const output = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: pk(cluster, service) }, sk: { S: sk(deploymentId) } },
        ConsistentRead: true,
      }),
    );
    const json = output.Item?.progress?.S;
    return json ? (JSON.parse(json) as DeploymentProgress) : undefined;
  },
  saveProgress: async (progress) => {
    const id = serviceDeploymentFromArn(progress.deploymentArn)?.id ?? progress.deploymentArn;
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: pk(progress.cluster, progress.service) },
          sk: { S: sk(id) },
          progress: { S: JSON.stringify(progress) },
          expiresAt: {
            N: String(Math.floor(Date.parse(progress.updatedAt) / 1000) + KEEP_SECONDS),
          },
        },
      }),
    );
  },
});

export { createDeliveryStore };
