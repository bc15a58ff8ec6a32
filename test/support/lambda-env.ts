/** What Lambda and serverless.yml put in a function's environment; the values are never contacted. */
const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
  DEDUP_TABLE_NAME: 'dedup',
  GUARD_TABLE_NAME: 'guard',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq',
  JOB_RUNS_TABLE_NAME: 'job-runs',
  HARBORMASTER_STAGE: 'test',
  WAKEUP_GROUP: 'harbormaster-test-wakeups',
  WAKEUP_TARGET_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:harbormaster-test-batch-jobs',
  WAKEUP_ROLE_ARN: 'arn:aws:iam::123456789012:role/harbormaster-test-wakeups',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

export { LAMBDA_ENV };
