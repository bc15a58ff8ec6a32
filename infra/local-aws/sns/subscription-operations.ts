import { errorOf } from '../core/aws-error.ts';
import { type JsonObject, readInput } from '../core/input.ts';
import type { Operation } from '../server/service-types.ts';
import type { SnsSubscription, SnsSubscriptions } from './subscriptions.ts';

const invalidParameter = errorOf('InvalidParameter');
const validation = errorOf('ValidationError');

// ListSubscriptions and ListSubscriptionsByTopic return "a list of up to 100 subscriptions" a page.
const PAGE = 100;

const page = <T>(items: T[], token: string | undefined): { items: T[]; NextToken?: string } => {
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0 || start > items.length)
    throw invalidParameter('Invalid parameter: NextToken');
  const end = start + PAGE;
  return end < items.length
    ? { items: items.slice(start, end), NextToken: String(end) }
    : { items: items.slice(start) };
};

// A subscription waiting for confirmation lists as "PendingConfirmation" (API_Subscription).
const listed = (s: SnsSubscription) => ({
  SubscriptionArn: s.pending ? 'PendingConfirmation' : s.arn,
  Owner: s.owner,
  Protocol: s.protocol,
  Endpoint: s.endpoint,
  TopicArn: s.topicArn,
});

/** The subscription operations of the SNS API; `topicArn` checks a topic exists. */
export const subscriptionOperations = (
  subscriptions: SnsSubscriptions,
  topicArn: (arn: string) => string,
): Record<string, Operation> => {
  const read = (input: JsonObject) => readInput(input, validation);
  const listing = (all: SnsSubscription[], input: JsonObject) => {
    const { items, NextToken } = page(all, read(input).optStr('NextToken'));
    return { Subscriptions: items.map(listed), ...(NextToken === undefined ? {} : { NextToken }) };
  };
  return {
    Subscribe: (input) => subscriptions.subscribe(input),
    ConfirmSubscription: (input) => subscriptions.confirm(input),
    // Unsubscribe of a subscription already gone succeeds, as deleting an absent topic does.
    Unsubscribe: (input) => {
      subscriptions.unsubscribe(read(input).str('SubscriptionArn'));
      return {};
    },
    GetSubscriptionAttributes: (input) => ({
      Attributes: subscriptions.attributesOf(read(input).str('SubscriptionArn')),
    }),
    SetSubscriptionAttributes: (input) => {
      subscriptions.setAttribute(input);
      return {};
    },
    ListSubscriptions: (input) => listing(subscriptions.list(), input),
    ListSubscriptionsByTopic: (input) =>
      listing(subscriptions.list(topicArn(read(input).str('TopicArn'))), input),
  };
};
