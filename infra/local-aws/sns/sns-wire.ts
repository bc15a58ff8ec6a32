import type { JsonObject } from '../core/input.ts';
import { branch, leaf, listOf, pickLeaves, type QueryTree } from '../server/query-params.ts';
import type { QueryService } from '../server/service-types.ts';
import { element, escapeXml, wrap } from '../server/xml.ts';
import type { SnsModel } from './sns-model.ts';

const SCALARS = [
  'TopicArn',
  'TargetArn',
  'PhoneNumber',
  'Message',
  'Subject',
  'MessageStructure',
  'MessageGroupId',
  'MessageDeduplicationId',
  'Name',
  'NextToken',
  'Protocol',
  'Endpoint',
  'SubscriptionArn',
  'AttributeName',
  'AttributeValue',
  'Token',
  'AuthenticateOnUnsubscribe',
];

// `MessageAttributes.entry.N.Name` + `.Value.DataType/StringValue/BinaryValue`.
const messageAttributes = (tree: QueryTree): JsonObject | undefined => {
  const entries = listOf(tree.MessageAttributes, 'entry');
  if (entries.length === 0) return undefined;
  const out: JsonObject = {};
  for (const entry of entries) {
    const name = leaf(branch(entry).Name);
    if (name !== undefined) {
      out[name] = pickLeaves(branch(branch(entry).Value), [
        'DataType',
        'StringValue',
        'BinaryValue',
      ]);
    }
  }
  return out;
};

// `Attributes.entry.N.key/value` (lower case, as the SDK's query serializer writes maps).
const stringMap = (node: QueryTree[string] | undefined): Record<string, string> | undefined => {
  const entries = listOf(node, 'entry');
  if (entries.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const key = leaf(branch(entry).key);
    const value = leaf(branch(entry).value);
    if (key !== undefined && value !== undefined) out[key] = value;
  }
  return out;
};

const decode = (_operation: string, tree: QueryTree): JsonObject => {
  const input = pickLeaves(tree, SCALARS);
  const attrs = messageAttributes(tree);
  if (attrs !== undefined) input.MessageAttributes = attrs;
  const attributes = stringMap(tree.Attributes);
  if (attributes !== undefined) input.Attributes = attributes;
  const returnArn = leaf(tree.ReturnSubscriptionArn);
  if (returnArn !== undefined) input.ReturnSubscriptionArn = returnArn === 'true';
  const tags = listOf(tree.Tags, 'member').map((t) => pickLeaves(branch(t), ['Key', 'Value']));
  if (tags.length > 0) input.Tags = tags;
  return input;
};

const attributeMap = (attributes: Record<string, string>): string =>
  wrap(
    'Attributes',
    Object.entries(attributes)
      .map(([k, v]) => wrap('entry', `<key>${escapeXml(k)}</key><value>${escapeXml(v)}</value>`))
      .join(''),
  );

const encode = (operation: string, output: unknown): string | undefined => {
  const out = (output ?? {}) as Record<string, unknown>;
  switch (operation) {
    case 'Publish':
      return (
        element('MessageId', out.MessageId as string) +
        element('SequenceNumber', out.SequenceNumber as string | undefined)
      );
    case 'CreateTopic':
      return element('TopicArn', out.TopicArn as string);
    case 'ListTopics': {
      const topics = (out.Topics as { TopicArn: string }[]) ?? [];
      return wrap(
        'Topics',
        topics.map((t) => wrap('member', element('TopicArn', t.TopicArn))).join(''),
      );
    }
    case 'GetTopicAttributes':
    case 'GetSubscriptionAttributes':
      return attributeMap((out.Attributes as Record<string, string>) ?? {});
    case 'Subscribe':
    case 'ConfirmSubscription':
      return element('SubscriptionArn', out.SubscriptionArn as string);
    case 'ListSubscriptions':
    case 'ListSubscriptionsByTopic': {
      const subscriptions = (out.Subscriptions as Record<string, string>[]) ?? [];
      const members = subscriptions
        .map((sub) =>
          wrap(
            'member',
            ['SubscriptionArn', 'Owner', 'Protocol', 'Endpoint', 'TopicArn']
              .map((k) => element(k, sub[k]))
              .join(''),
          ),
        )
        .join('');
      return (
        wrap('Subscriptions', members) + element('NextToken', out.NextToken as string | undefined)
      );
    }
    default:
      return undefined;
  }
};

/** SNS over the awsQuery protocol. */
export const snsWire = (model: SnsModel): QueryService => ({
  name: 'sns',
  protocol: 'query',
  apiVersion: '2010-03-31',
  xmlNamespace: 'http://sns.amazonaws.com/doc/2010-03-31/',
  decode,
  operations: model.operations,
  encode,
});
