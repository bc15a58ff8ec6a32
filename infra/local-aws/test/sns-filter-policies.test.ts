import {
  CreateTopicCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import {
  compileFilterPolicy,
  type FilterPolicyScope,
  matchesFilterPolicy,
} from '../sns/filter-policy.ts';
import { attributeView, bodyView } from '../sns/filter-view.ts';
import { clientConfig, failure, START } from './harness.ts';

type Attributes = Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;

const str = (value: string) => ({ DataType: 'String', StringValue: value });
const num = (value: string) => ({ DataType: 'Number', StringValue: value });
const arr = (value: unknown[]) => ({
  DataType: 'String.Array',
  StringValue: JSON.stringify(value),
});

const byAttributes = (policy: unknown, attributes: Attributes): boolean =>
  matchesFilterPolicy(
    compileFilterPolicy(JSON.stringify(policy), 'MessageAttributes'),
    attributeView(attributes),
  );

const byBody = (policy: unknown, body: unknown): boolean => {
  const view = bodyView(typeof body === 'string' ? body : JSON.stringify(body));
  const compiled = compileFilterPolicy(JSON.stringify(policy), 'MessageBody');
  return view !== undefined && matchesFilterPolicy(compiled, view);
};

const refusal = (policy: unknown, scope: FilterPolicyScope = 'MessageAttributes'): string => {
  try {
    compileFilterPolicy(JSON.stringify(policy), scope);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('SNS filter policy matching', () => {
  it('matches strings exactly, any element of a String.Array, and body values (string-value-matching.html)', () => {
    const policy = { customer_interests: ['rugby', 'tennis'] };
    expect(byAttributes(policy, { customer_interests: str('rugby') })).toBe(true);
    expect(byAttributes(policy, { customer_interests: arr(['rugby', 'tennis']) })).toBe(true);
    expect(byAttributes(policy, { customer_interests: str('baseball') })).toBe(false);
    expect(byAttributes(policy, { customer_interests: arr(['baseball']) })).toBe(false);
    expect(byBody(policy, { customer_interests: 'tennis' })).toBe(true);
    expect(byBody(policy, { customer_interests: 'baseball' })).toBe(false);
  });

  it('matches anything-but when any value is not excluded, never a missing key (string-value-matching.html)', () => {
    const policy = { customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] };
    expect(byAttributes(policy, { customer_interests: str('baseball') })).toBe(true);
    expect(byAttributes(policy, { customer_interests: arr(['rugby', 'baseball']) })).toBe(true);
    expect(byAttributes(policy, { customer_interests: str('rugby') })).toBe(false);
    expect(byBody(policy, { customer_interests: ['rugby'] })).toBe(false);
    expect(byAttributes(policy, { store: str('x') })).toBe(false);
    const prefix = { event: [{ 'anything-but': { prefix: 'order-' } }] };
    expect(byAttributes(prefix, { event: str('data-entry') })).toBe(true);
    expect(byAttributes(prefix, { event: str('order_number') })).toBe(true);
    expect(byAttributes(prefix, { event: str('order-cancelled') })).toBe(false);
  });

  it('matches prefix, suffix, equals-ignore-case, wildcard and cidr on strings only', () => {
    expect(byAttributes({ c: [{ prefix: 'bas' }] }, { c: str('basketball') })).toBe(true);
    expect(byAttributes({ c: [{ prefix: 'bas' }] }, { c: str('rugby') })).toBe(false);
    expect(byAttributes({ c: [{ suffix: 'ball' }] }, { c: str('baseball') })).toBe(true);
    expect(byAttributes({ c: [{ suffix: '5' }] }, { c: num('15') })).toBe(false);
    expect(
      byAttributes({ c: [{ 'equals-ignore-case': 'PayMents' }] }, { c: str('payments') }),
    ).toBe(true);
    expect(byBody({ f: [{ wildcard: 'logs/*.txt' }] }, { f: 'logs/a/b.txt' })).toBe(true);
    expect(byBody({ f: [{ wildcard: 'logs/*.txt' }] }, { f: 'data/a.txt' })).toBe(false);
    expect(byAttributes({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: str('10.0.0.255') })).toBe(true);
    expect(byAttributes({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: str('10.1.1.0') })).toBe(false);
  });

  it('matches numbers only against Number attributes and JSON numbers, to 5 decimals (numeric-value-matching.html)', () => {
    const range = { price_usd: [{ numeric: ['>', 0, '<=', 150] }] };
    expect(byAttributes(range, { price_usd: num('100') })).toBe(true);
    expect(byAttributes(range, { price_usd: num('150.000001') })).toBe(true);
    expect(byAttributes(range, { price_usd: num('210.75') })).toBe(false);
    expect(byAttributes(range, { price_usd: str('100') })).toBe(false);
    expect(
      byAttributes({ price_usd: [{ numeric: ['=', 301.5] }] }, { price_usd: num('301.50') }),
    ).toBe(true);
    expect(byBody({ price_usd: [210.75] }, { price_usd: 210.75 })).toBe(true);
    expect(byAttributes({ n: [{ numeric: ['<', 0] }] }, { n: arr([5, -2]) })).toBe(true);
  });

  it('matches exists on keys; exists:false needs at least one attribute (attribute-key-matching.html)', () => {
    expect(byAttributes({ store: [{ exists: true }] }, { store: str('fans') })).toBe(true);
    expect(byAttributes({ store: [{ exists: true }] }, { other: str('x') })).toBe(false);
    expect(byAttributes({ store: [{ exists: false }] }, { other: str('x') })).toBe(true);
    expect(byAttributes({ store: [{ exists: false }] }, {})).toBe(false);
    expect(byAttributes({ store: [{ exists: false }] }, { store: str('fans') })).toBe(false);
    expect(byBody({ store: [{ exists: true }] }, { store: null })).toBe(false);
    expect(
      byAttributes(
        { blob: [{ exists: true }] },
        { blob: { DataType: 'Binary', BinaryValue: 'AAE=' } },
      ),
    ).toBe(false);
  });

  it('applies AND across keys and $or across alternatives (and-or-logic.html)', () => {
    const and = { customer_interests: ['rugby'], price_usd: [{ numeric: ['>', 100] }] };
    expect(byAttributes(and, { customer_interests: str('rugby'), price_usd: num('150') })).toBe(
      true,
    );
    expect(byAttributes(and, { customer_interests: str('rugby'), price_usd: num('50') })).toBe(
      false,
    );
    const or = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
    };
    expect(byAttributes(or, { source: str('aws.cloudwatch'), namespace: str('AWS/EC2') })).toBe(
      true,
    );
    expect(byAttributes(or, { source: str('aws.cloudwatch'), namespace: str('AWS/ECS') })).toBe(
      false,
    );
  });

  it('reads nested and dotted keys and arrays of objects in a JSON body, and nothing from other bodies', () => {
    const s3 = { Records: { eventName: [{ prefix: 'ObjectCreated:' }] } };
    expect(
      byBody(s3, {
        Records: [{ eventName: 'ObjectRemoved:Delete' }, { eventName: 'ObjectCreated:Put' }],
      }),
    ).toBe(true);
    expect(
      byBody(
        { 'detail.eventType': ['ride.requested'] },
        { detail: { eventType: 'ride.requested' } },
      ),
    ).toBe(true);
    expect(byBody({ team: ['payments'] }, 'team=payments')).toBe(false);
    expect(byBody({ team: ['payments'] }, '["payments"]')).toBe(false);
  });
});

describe('SNS filter policy constraints (subscription-filter-policy-constraints.html)', () => {
  it('refuses more than five keys, more than 150 combinations and nested attribute policies', () => {
    const six = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, ['x']]));
    const six3 = { a: [1, 2, 3, 4, 5, 6], b: [1, 2, 3, 4, 5, 6], c: [1, 2, 3, 4, 5] };
    expect(refusal(six)).toBe('Filter policy can not have more than 5 keys');
    expect(refusal(six3)).toBe('Filter policy is too complex');
    expect(refusal({ a: [1, 2, 3, 4, 5], b: [1, 2, 3, 4, 5], c: [1, 2, 3, 4, 5, 6] })).toBe(
      'accepted',
    );
    expect(refusal({ detail: { team: ['x'] } })).toBe(
      'Filter policy scope MessageAttributes does not support nested filter policy',
    );
  });

  it('counts nesting levels in a payload policy (4 x 3 x 3 x 2 = 72) and only leaf keys', () => {
    const nested = {
      key_a: { key_b: { key_c: ['value_one', 'value_two', 'value_three', 'value_four'] } },
      key_d: { key_e: ['value_one', 'value_two', 'value_three'] },
    };
    expect(refusal(nested, 'MessageBody')).toBe('accepted');
    const deep = {
      a: {
        b: {
          c: {
            d: {
              e: [
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
                24, 25, 26, 27, 28, 29, 30, 31,
              ],
            },
          },
        },
      },
    };
    expect(refusal(deep, 'MessageBody')).toBe('Filter policy is too complex');
  });

  it('names what is wrong in a rule', () => {
    expect(refusal({ a: [] })).toBe('Empty arrays are not allowed');
    expect(refusal({ a: 'x' })).toBe('"a" must be an object or an array');
    expect(refusal({ a: [{ regex: '.*' }] })).toBe('Unrecognized match type regex');
    expect(refusal({ a: [{ prefix: 1 }] })).toBe('prefix match pattern must be a string');
    expect(refusal({ a: [{ exists: 'yes' }] })).toBe(
      'exists match pattern must be either true or false.',
    );
    expect(refusal({ a: [{ numeric: ['>', 'x'] }] })).toBe('Value of > must be numeric');
    expect(refusal({ a: [{ numeric: ['>', 10, '<', 5] }] })).toBe('Bottom must be less than top');
    expect(refusal({ a: [{ numeric: ['<', 10, '>', 5] }] })).toBe(
      'Too many elements in numeric expression',
    );
    expect(refusal({ a: [{ prefix: 'x', suffix: 'y' }] })).toBe(
      'Only one key allowed in match expression',
    );
    expect(refusal({ a: [{ wildcard: '*a*b*c*d' }] })).toMatch(/more than 3 wildcard characters/);
    expect(refusal({ a: [['x']] })).toBe(
      'Match value must be String, number, true, false, or null',
    );
  });
});

describe('SNS filtering over the wire', () => {
  let local: LocalAws;
  let sns: SNSClient;
  let topicArn: string;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    sns = new SNSClient(clientConfig(local));
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'alerts' }))).TopicArn ?? '';
    for (const name of ['by-attributes', 'by-body', 'everything']) local.sqs.createQueue(name);
  });

  afterEach(async () => {
    sns.destroy();
    await local.close();
  });

  const queue = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;
  const received = (name: string): string[] =>
    local.sns.deliveries(queue(name)).map((d) => JSON.parse(d.body).Message as string);

  it('routes the documented example to attribute and body subscriptions (example-filter-policies.html)', async () => {
    // Prepare
    const policy = JSON.stringify({
      store: ['example_corp'],
      event: [{ 'anything-but': 'order_cancelled' }],
      customer_interests: ['rugby', 'football', 'baseball'],
      price_usd: [{ numeric: ['>=', 100] }],
    });
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queue('by-attributes'),
        Attributes: { FilterPolicy: policy },
      }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queue('by-body'),
        Attributes: { FilterPolicy: policy, FilterPolicyScope: 'MessageBody' },
      }),
    );
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue('everything') }),
    );
    const attributes = {
      customer_interests: {
        DataType: 'String.Array',
        StringValue: '["soccer", "rugby", "hockey"]',
      },
      store: { DataType: 'String', StringValue: 'example_corp' },
      event: { DataType: 'String', StringValue: 'order_placed' },
      price_usd: { DataType: 'Number', StringValue: '210.75' },
    };
    const body = {
      customer_interests: ['soccer', 'rugby', 'hockey'],
      store: 'example_corp',
      event: 'order_placed',
      price_usd: 210.75,
    };

    // Act
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'with attributes',
        MessageAttributes: attributes,
      }),
    );
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(body) }));
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify({ ...body, event: 'order_cancelled' }),
        MessageAttributes: {
          ...attributes,
          event: { DataType: 'String', StringValue: 'order_cancelled' },
        },
      }),
    );

    // Assess
    expect(received('by-attributes')).toEqual(['with attributes']);
    expect(received('by-body')).toEqual([JSON.stringify(body)]);
    expect(received('everything')).toHaveLength(3);
  });

  it('filters a MessageStructure=json message on its body, never on the attributes it does not send', async () => {
    // Prepare
    const subscribe = (name: string, scope: string) =>
      sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queue(name),
          Attributes: { FilterPolicy: '{"team":["payments"]}', FilterPolicyScope: scope },
        }),
      );
    await subscribe('by-attributes', 'MessageAttributes');
    await subscribe('by-body', 'MessageBody');
    const alert = JSON.stringify({ team: 'payments', severity: 'error' });

    // Act
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: alert }),
        MessageAttributes: { team: { DataType: 'String', StringValue: 'payments' } },
      }),
    );
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: alert,
        MessageAttributes: { team: { DataType: 'String', StringValue: 'payments' } },
      }),
    );

    // Assess
    expect(received('by-attributes')).toEqual([alert]);
    expect(received('by-body')).toEqual([alert, alert]);
  });

  it('refuses a policy on Subscribe and on SetSubscriptionAttributes with the API prefix', async () => {
    // Act
    const onSubscribe = await failure(
      sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queue('by-body'),
          Attributes: { FilterPolicy: '{"detail":{"team":["x"]}}' },
        }),
      ),
    );
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue('by-body') }),
    );
    const onSet = await failure(
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName: 'FilterPolicy',
          AttributeValue: '{"a":[{"numeric":[">","x"]}]}',
        }),
      ),
    );

    // Assess
    expect(onSubscribe.message).toBe(
      'Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy',
    );
    expect(onSet.message).toBe('Invalid parameter: FilterPolicy: Value of > must be numeric');
  });
});
