import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Severity } from '#kernel/alerts/model.ts';
import { formatSnsPublication } from '../formats/sns.ts';
import type { AlertChannel } from '../ports.ts';

/** An alert channel that publishes to the stack's SNS topic (email, chat applications, anything). */
const createSnsChannel = (
  client: SNSClient,
  topicArn: string,
  minimumSeverity: Severity,
): AlertChannel => ({
  name: 'sns',
  minimumSeverity,
  send: async (message) => {
    await client.send(new PublishCommand({ TopicArn: topicArn, ...formatSnsPublication(message) }));
  },
});

export { createSnsChannel };
