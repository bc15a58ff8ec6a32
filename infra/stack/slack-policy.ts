const SECRETS_REFERENCE = '/aws/reference/secretsmanager/';

/**
 * Read access to the Slack webhook URL for the given roles: the SSM parameter (a SecureString,
 * decrypted through SSM), or the Secrets Manager secret it references.
 */
const slackWebhookPolicy = (
  parameterName: string,
  roles: readonly string[],
): Record<string, unknown> => {
  const statements: unknown[] = [
    {
      Sid: 'ReadSlackWebhookParameter',
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: {
        'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${parameterName}`,
      },
    },
    {
      Sid: 'DecryptSlackWebhookThroughSsm',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder.
        StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'ssm.${AWS::Region}.amazonaws.com' } },
      },
    },
  ];
  if (parameterName.startsWith(SECRETS_REFERENCE)) {
    const secret = parameterName.slice(SECRETS_REFERENCE.length);
    statements.push({
      Sid: 'ReadSlackWebhookSecret',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: {
        'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${secret}-*`,
      },
    });
  }
  return {
    SlackWebhookReadPolicy: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        Description: 'Lets Harbormaster functions read the Slack webhook URL at cold start',
        Roles: roles.map((role) => ({ Ref: role })),
        PolicyDocument: { Version: '2012-10-17', Statement: statements },
      },
    },
  };
};

export { slackWebhookPolicy };
