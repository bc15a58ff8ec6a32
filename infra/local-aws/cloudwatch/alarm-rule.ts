import { AwsError } from '../core/aws-error.ts';

/**
 * A composite alarm's AlarmRule (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html):
 * ALARM(x), OK(x) and INSUFFICIENT_DATA(x) (x an alarm name or ARN, quoted or not), TRUE and
 * FALSE, combined with AND, OR, NOT and parentheses.
 */
export type AlarmRule =
  | { kind: 'state'; state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA'; alarm: string }
  | { kind: 'constant'; value: boolean }
  | { kind: 'not'; rule: AlarmRule }
  | { kind: 'and' | 'or'; left: AlarmRule; right: AlarmRule };

const invalidRule = (rule: string, why: string): AwsError =>
  new AwsError('InvalidParameterValue', `Invalid AlarmRule ${rule}: ${why}`, 400, {
    queryCode: 'InvalidParameterValue',
  });

const TOKEN = /\s*(\(|\)|"(?:[^"\\]|\\.)*"|[^\s()"]+)/y;

const tokenize = (text: string): string[] => {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (match?.[1] === undefined) throw invalidRule(text, 'unexpected character');
    tokens.push(match[1]);
  }
  return tokens;
};

/** Parses an AlarmRule (names resolve to alarm names: an ARN's last part). */
export const parseAlarmRule = (text: string): AlarmRule => {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at]?.toUpperCase();
  const take = (expected?: string): string => {
    const token = tokens[at];
    if (token === undefined || (expected !== undefined && token.toUpperCase() !== expected))
      throw invalidRule(text, `expected ${expected ?? 'more'} at token ${at + 1}`);
    at += 1;
    return token;
  };
  const primary = (): AlarmRule => {
    const token = peek();
    if (token === '(') {
      take('(');
      const inner = or();
      take(')');
      return inner;
    }
    if (token === 'NOT') {
      take();
      return { kind: 'not', rule: primary() };
    }
    if (token === 'TRUE' || token === 'FALSE') {
      take();
      return { kind: 'constant', value: token === 'TRUE' };
    }
    if (token === 'ALARM' || token === 'OK' || token === 'INSUFFICIENT_DATA') {
      take();
      take('(');
      const raw = take();
      take(')');
      const name = raw.startsWith('"') ? raw.slice(1, -1) : raw;
      const alarm = name.startsWith('arn:') ? (name.split(':alarm:')[1] ?? name) : name;
      return { kind: 'state', state: token, alarm };
    }
    throw invalidRule(text, `unexpected ${tokens[at] ?? 'end'}`);
  };
  const and = (): AlarmRule => {
    let left = primary();
    while (peek() === 'AND') {
      take();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): AlarmRule => {
    let left = and();
    while (peek() === 'OR') {
      take();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const rule = or();
  if (at !== tokens.length) throw invalidRule(text, `unexpected ${tokens[at]}`);
  return rule;
};

/** The alarms a rule names. */
export const alarmsIn = (rule: AlarmRule): string[] => {
  if (rule.kind === 'state') return [rule.alarm];
  if (rule.kind === 'constant') return [];
  if (rule.kind === 'not') return alarmsIn(rule.rule);
  return [...new Set([...alarmsIn(rule.left), ...alarmsIn(rule.right)])];
};

/** Whether a rule holds, given each alarm's state (an unknown alarm holds no state). */
export const ruleHolds = (
  rule: AlarmRule,
  stateOf: (alarm: string) => string | undefined,
): boolean => {
  switch (rule.kind) {
    case 'state':
      return stateOf(rule.alarm) === rule.state;
    case 'constant':
      return rule.value;
    case 'not':
      return !ruleHolds(rule.rule, stateOf);
    case 'and':
      return ruleHolds(rule.left, stateOf) && ruleHolds(rule.right, stateOf);
    case 'or':
      return ruleHolds(rule.left, stateOf) || ruleHolds(rule.right, stateOf);
  }
};
