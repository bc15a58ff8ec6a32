import {
  CreateTopicCommand,
  InvalidParameterException,
  ListTopicsCommand,
  NotFoundException,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import {
  GetParameterCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { clientConfig, START } from './harness.ts';

describe('SNS', () => {
  let local: LocalAws;
  let sns: SNSClient;
  let topicArn: string;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    sns = new SNSClient(clientConfig(local));
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'alerts' }))).TopicArn ?? '';
  });

  afterEach(async () => {
    sns.destroy();
    await local.close();
  });

  it('records published messages with subject and message attributes', async () => {
    // Prepare
    const attributes = {
      severity: { DataType: 'String', StringValue: 'critical' },
      count: { DataType: 'Number', StringValue: '3' },
    };

    // Act
    const out = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: 'Deployment rolled back',
        Message: 'web: rolled back',
        MessageAttributes: attributes,
      }),
    );
    const again = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
    const listed = await sns.send(new ListTopicsCommand({}));

    // Assess
    expect(out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(topicArn).toBe('arn:aws:sns:us-east-1:123456789012:alerts');
    expect(again.TopicArn).toBe(topicArn);
    expect(listed.Topics).toEqual([{ TopicArn: topicArn }]);
    expect(local.sns.messages(topicArn)).toEqual([
      expect.objectContaining({
        messageId: out.MessageId,
        subject: 'Deployment rolled back',
        message: 'web: rolled back',
        messages: { default: 'web: rolled back' },
        messageAttributes: attributes,
        at: START,
      }),
    ]);
  });

  it('parses MessageStructure=json into per-protocol messages', async () => {
    // Prepare
    const message = JSON.stringify({ default: 'short', email: 'long text', sqs: '{"k":1}' });

    // Act
    await sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: message, MessageStructure: 'json' }),
    );

    // Assess
    expect(local.sns.messages()[0]).toMatchObject({
      messageStructure: 'json',
      messages: { default: 'short', email: 'long text', sqs: '{"k":1}' },
    });
  });

  it('rejects what SNS rejects with its real exception classes', async () => {
    // Prepare
    const publish = (input: Record<string, unknown>) =>
      sns
        .send(new PublishCommand({ TopicArn: topicArn, Message: 'm', ...input }))
        .catch((e: unknown) => e);

    // Act
    const newline = await publish({ Subject: 'line one\nline two' });
    const long = await publish({ Subject: 'x'.repeat(101) });
    const noDefault = await publish({ Message: '{"email":"x"}', MessageStructure: 'json' });
    const tooBig = await publish({ Message: 'x'.repeat(262_145) });
    const missing = await publish({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:nope' });
    const ok = await publish({ Subject: 'x'.repeat(100) });

    // Assess
    for (const error of [newline, long, noDefault, tooBig])
      expect(error).toBeInstanceOf(InvalidParameterException);
    expect((newline as Error).message).toBe('Invalid parameter: Subject');
    expect((noDefault as Error).message).toBe(
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    );
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as NotFoundException).$metadata.httpStatusCode).toBe(404);
    expect(ok).toMatchObject({ MessageId: expect.any(String) });
    expect(local.sns.messages()).toHaveLength(1);
  });
});

describe('SNS Publish limits (API_Publish, sns-message-attributes.html)', () => {
  let local: LocalAws;
  let sns: SNSClient;
  let topicArn: string;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    sns = new SNSClient(clientConfig(local));
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'alerts' }))).TopicArn ?? '';
  });

  afterEach(async () => {
    sns.destroy();
    await local.close();
  });

  it('refuses a MessageStructure=json body whose protocol keys hold non-strings, ignoring other keys', async () => {
    // Prepare
    const publish = (body: Record<string, unknown>) =>
      sns
        .send(
          new PublishCommand({
            TopicArn: topicArn,
            Message: JSON.stringify(body),
            MessageStructure: 'json',
          }),
        )
        .catch((e: unknown) => e);
    // Act
    const objectValue = await publish({ default: 'd', sqs: { k: 1 } });
    const numberDefault = await publish({ default: 1 });
    const unknownKey = await publish({ default: 'd', custom: { k: 1 } });
    // Assess
    expect(objectValue).toBeInstanceOf(InvalidParameterException);
    expect(numberDefault).toBeInstanceOf(InvalidParameterException);
    expect(unknownKey).toMatchObject({ MessageId: expect.any(String) });
    expect(local.sns.messages()[0]?.messages).toStrictEqual({ default: 'd' });
  });

  it('takes more than 10 message attributes: SNS sets no count, only raw delivery to SQS does', async () => {
    // Prepare
    const MessageAttributes = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
    );
    // Act
    const out = await sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: 'm', MessageAttributes }),
    );
    // Assess
    expect(out.MessageId).toBeDefined();
    expect(Object.keys(local.sns.messages()[0]?.messageAttributes ?? {})).toHaveLength(12);
  });
});

describe('SSM', () => {
  let local: LocalAws;
  let ssm: SSMClient;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    ssm = new SSMClient(clientConfig(local));
  });

  afterEach(async () => {
    ssm.destroy();
    await local.close();
  });

  it('reads parameters, decrypts SecureStrings on request and resolves Secrets Manager references', async () => {
    // Prepare
    local.ssm.put('/harbormaster/slack-channel', '#deploys');
    local.ssm.put('/harbormaster/token', 's3cr3t', 'SecureString');
    local.ssm.putSecret('harbormaster/slack-webhook', 'https://hooks.example/abc');

    // Act
    const plain = await ssm.send(new GetParameterCommand({ Name: '/harbormaster/slack-channel' }));
    const encrypted = await ssm.send(new GetParameterCommand({ Name: '/harbormaster/token' }));
    const decrypted = await ssm.send(
      new GetParameterCommand({ Name: '/harbormaster/token', WithDecryption: true }),
    );
    const secret = await ssm.send(
      new GetParameterCommand({
        Name: '/aws/reference/secretsmanager/harbormaster/slack-webhook',
        WithDecryption: true,
      }),
    );
    const missing = await ssm
      .send(new GetParameterCommand({ Name: '/nope' }))
      .catch((e: unknown) => e);
    const missingSecret = await ssm
      .send(
        new GetParameterCommand({
          Name: '/aws/reference/secretsmanager/nope',
          WithDecryption: true,
        }),
      )
      .catch((e: unknown) => e);

    // Assess
    expect(plain.Parameter).toMatchObject({
      Name: '/harbormaster/slack-channel',
      Type: 'String',
      Value: '#deploys',
      Version: 1,
      LastModifiedDate: START,
      ARN: 'arn:aws:ssm:us-east-1:123456789012:parameter/harbormaster/slack-channel',
    });
    expect(encrypted.Parameter?.Value).not.toBe('s3cr3t');
    expect(decrypted.Parameter?.Value).toBe('s3cr3t');
    expect(secret.Parameter).toMatchObject({
      Type: 'SecureString',
      Value: 'https://hooks.example/abc',
    });
    expect(JSON.parse(secret.Parameter?.SourceResult ?? '{}')).toMatchObject({
      Name: 'harbormaster/slack-webhook',
      SecretString: 'https://hooks.example/abc',
    });
    expect(missing).toBeInstanceOf(ParameterNotFound);
    expect(missingSecret).toBeInstanceOf(ParameterNotFound);
  });

  it('puts parameters with versions and refuses to overwrite without Overwrite', async () => {
    // Prepare
    await ssm.send(
      new PutParameterCommand({ Name: '/app/mode', Value: 'dry-run', Type: 'String' }),
    );

    // Act
    const refused = await ssm
      .send(new PutParameterCommand({ Name: '/app/mode', Value: 'enforce', Type: 'String' }))
      .catch((e: unknown) => e);
    const second = await ssm.send(
      new PutParameterCommand({ Name: '/app/mode', Value: 'enforce', Overwrite: true }),
    );
    const v1 = await ssm.send(new GetParameterCommand({ Name: '/app/mode:1' }));

    // Assess
    expect(refused).toBeInstanceOf(ParameterAlreadyExists);
    expect(second).toMatchObject({ Version: 2, Tier: 'Standard' });
    expect(v1.Parameter).toMatchObject({ Value: 'dry-run', Version: 1, Selector: ':1' });
    expect(local.ssm.get('/app/mode')).toBe('enforce');
  });
});
