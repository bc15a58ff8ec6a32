import type { Config } from '#config/schema.ts';

const SECRETS_REFERENCE = '/aws/reference/secretsmanager/';
type Statement = Record<string, unknown>;

/**
 * Read access to one secret parameter: the SSM parameter (a SecureString, decrypted through
 * SSM), or the Secrets Manager secret it references.
 */
const parameterRead = (sid: string, parameterName: string): Statement[] => {
  const statements: Statement[] = [
    {
      Sid: `Read${sid}Parameter`,
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: {
        'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${parameterName}`,
      },
    },
    {
      Sid: `Decrypt${sid}ThroughSsm`,
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
      Sid: `Read${sid}Secret`,
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: {
        'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${secret}-*`,
      },
    });
  }
  return statements;
};

const managedPolicy = (description: string, roles: readonly string[], statements: Statement[]) => ({
  Type: 'AWS::IAM::ManagedPolicy',
  Properties: {
    Description: description,
    Roles: roles.map((role) => ({ Ref: role })),
    PolicyDocument: { Version: '2012-10-17', Statement: statements },
  },
});

/** Read access to the Slack webhook URL for the given roles, read at cold start. */
const slackWebhookPolicy = (
  parameterName: string,
  roles: readonly string[],
): Record<string, unknown> => ({
  SlackWebhookReadPolicy: managedPolicy(
    'Lets Harbormaster functions read the Slack webhook URL at cold start',
    roles,
    parameterRead('SlackWebhook', parameterName),
  ),
});

const GUARD_TABLE = [
  { 'Fn::GetAtt': ['GuardTable', 'Arn'] },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder.
  { 'Fn::Sub': '${GuardTable.Arn}/index/due' },
];
const SERVICES = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders.
  'Fn::Sub': 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/*',
};

/**
 * What the Slack app, one-click actions and routing need beyond each function's own role, when the
 * configuration asks for them: every function reads the bot token at cold start, keeps its
 * threads and reads snoozes in the guard's table; the chat-actions function alone reads the
 * signing secret; routes publish to their extra topics; routing on tags reads services' tags.
 */
const alertRoutingPolicies = (
  config: Config,
  roles: readonly string[],
): Record<string, unknown> => {
  const resources: Record<string, unknown> = {};
  const { slackApp, topics, routes } = config.alerts;
  if (slackApp)
    resources.SlackAppPolicy = managedPolicy(
      'Lets Harbormaster functions post through the Slack app and keep its threads',
      roles,
      [
        ...parameterRead('SlackBotToken', slackApp.botTokenParameter),
        {
          Sid: 'KeepSlackThreadsAndReadSnoozes',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
          Resource: GUARD_TABLE,
        },
      ],
    );
  if (config.chat && roles.includes('ChatActionsRole'))
    resources.SlackSigningSecretPolicy = managedPolicy(
      'Lets the chat-actions function verify Slack requests',
      ['ChatActionsRole'],
      parameterRead('SlackSigningSecret', config.chat.signingSecretParameter),
    );
  const webhooks = Object.values(config.alerts.webhooks);
  if (webhooks.length > 0)
    resources.AlertRoutesWebhooksPolicy = managedPolicy(
      'Lets Harbormaster functions read the webhook URLs routes name, at cold start',
      roles,
      webhooks.flatMap((webhook, i) =>
        parameterRead(`RoutedWebhook${i}`, webhook.webhookUrlParameter),
      ),
    );
  const arns = Object.values(topics);
  if (arns.length > 0)
    resources.AlertRoutesTopicsPolicy = managedPolicy(
      'Lets Harbormaster functions publish alerts to the topics routes name',
      roles,
      [{ Sid: 'PublishRoutedAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: arns }],
    );
  const tags = slackApp || routes.some((r) => Object.keys(r.match.tags ?? {}).length > 0);
  if (tags)
    resources.AlertRoutingTagsPolicy = managedPolicy(
      'Lets Harbormaster functions read service tags to route alerts',
      roles,
      [
        {
          Sid: 'ReadServiceTags',
          Effect: 'Allow',
          Action: 'ecs:DescribeServices',
          Resource: SERVICES,
        },
      ],
    );
  return resources;
};

export { alertRoutingPolicies, slackWebhookPolicy };
