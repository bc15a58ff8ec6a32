import * as v from 'valibot';
import { int, lazy, list, opt } from '#kernel/events/schema-helpers.ts';

/** The buttons a person may press. */
const CHAT_ACTIONS = ['rollback', 'approve', 'reject', 'snooze', 'acknowledge'] as const;
type ChatActionKind = (typeof CHAT_ACTIONS)[number];

const glob = () => v.pipe(v.string(), v.minLength(1), v.maxLength(256));
// Slack user ids start with U or W (Enterprise Grid), user group ids with S.
const userId = () =>
  v.pipe(v.string(), v.regex(/^[UW][A-Z0-9]{6,20}$/, 'expected a Slack user id such as U0123ABCD'));
const groupId = () =>
  v.pipe(
    v.string(),
    v.regex(/^S[A-Z0-9]{6,20}$/, 'expected a Slack user group id such as S0123ABCD'),
  );

/**
 * Who may press which button where: the actions, the clusters and services (globs), and the
 * Slack users and user groups (ids) the rule lets press them.
 */
const permission = () =>
  v.pipe(
    v.strictObject({
      actions: v.pipe(list(v.picklist(CHAT_ACTIONS), CHAT_ACTIONS.length), v.minLength(1)),
      clusters: v.optional(list(glob(), 50), ['*']),
      services: v.optional(list(glob(), 50), ['*']),
      users: v.optional(list(userId(), 100), []),
      userGroups: v.optional(list(groupId(), 20), []),
    }),
    v.check(
      (rule) => rule.users.length + rule.userGroups.length > 0,
      'name at least one user or user group',
    ),
  );

/**
 * The `chat` section: one-click actions from Slack (the chat-actions function behind its function
 * URL). Without it the Slack app's messages carry no buttons.
 */
const chatSection = lazy(() =>
  opt(
    v.strictObject({
      /** SSM SecureString (or Secrets Manager reference) holding the app's signing secret. */
      signingSecretParameter: v.pipe(
        v.string(),
        v.regex(
          /^\/[\w.\-/]+$/,
          'expected an SSM parameter name such as /harbormaster/slack-signing-secret',
        ),
      ),
      /** In a Secrets Manager key/value secret, the key holding the signing secret. */
      signingSecretKey: opt(v.pipe(v.string(), v.regex(/^[\w.-]{1,128}$/, 'expected a JSON key'))),
      /** The Slack app (its id, A...): requests for another app are refused. */
      appId: v.pipe(
        v.string(),
        v.regex(/^A[A-Z0-9]{6,20}$/, 'expected a Slack app id such as A0123ABCD'),
      ),
      /** Explicit grants; nobody may press a button no rule (or service tag) grants. */
      permissions: v.optional(list(permission(), 100), []),
      /**
       * A service tag listing Slack user and user group ids (space-separated) that may press
       * every button for that service.
       */
      permissionTag: v.optional(
        v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
        'harbormaster:chat-operators',
      ),
      /** The Snooze buttons a repeating service alert offers, in minutes. */
      snoozeMinutes: v.optional(v.pipe(list(int(5, 7 * 24 * 60), 3), v.minLength(1)), [60, 480]),
      /** How long group memberships and service tags are kept per Lambda container. */
      cacheSeconds: v.optional(int(0, 3600), 300),
    }),
  ),
);

/** The `chat` section as validated (undefined when absent). */
type ChatConfig = v.InferOutput<ReturnType<typeof chatSection>>;
type ChatPermission = NonNullable<ChatConfig>['permissions'][number];

export { CHAT_ACTIONS, type ChatActionKind, type ChatConfig, type ChatPermission, chatSection };
