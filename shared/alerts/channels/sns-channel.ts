import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Severity } from '#kernel/alerts/model.ts';
import { formatSnsPublication } from '../formats/sns.ts';
import type { AlertChannel } from '../ports.ts';

/**
 * An alert channel that publishes to an SNS topic (email, chat applications, anything): the
 * stack's own (`sns`), or one a route names (`sns:<name>`).
 */
const createSnsChannel = (
  client: SNSClient,
  topicArn: string,
  minimumSeverity: Severity,
  name = 'sns',
): AlertChannel => ({
  name,
  minimumSeverity,
  send: async (message) => {
    await client.send(new PublishCommand({ TopicArn: topicArn, ...formatSnsPublication(message) }));
  },
});

export { createSnsChannel };
