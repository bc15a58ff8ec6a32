import { matchesIamPattern } from '#kernel/scope.ts';
import type { ChatActionKind, ChatConfig } from '../config.ts';

/**
 * Who may press which button, decided from the configuration and the service's tags alone (a
 * pure function; the user's group memberships are looked up before, for the groups that could
 * matter). Nothing is allowed that no rule grants: a rule must name the action, match the
 * cluster and service, and name the user or a group the user is in; or the service's permission
 * tag lists the user or such a group (every action on that service).
 */

type Permissions = Pick<NonNullable<ChatConfig>, 'permissions' | 'permissionTag'>;

interface AuthorizationRequest {
  action: ChatActionKind;
  /** Undefined for Acknowledge on a thread about no service (a function's own errors). */
  cluster: string | undefined;
  service: string | undefined;
  user: string;
  /** The service's tags (undefined when it has none or they could not be read). */
  tags: Readonly<Record<string, string>> | undefined;
}

type Authorization = { allowed: true; by: string } | { allowed: false };

const matches = (patterns: readonly string[], value: string | undefined): boolean =>
  patterns.some((p) => p === '*' || (value !== undefined && matchesIamPattern(value, p)));

/** The ids (users and groups) the service's permission tag lists, space- or comma-separated. */
const tagGrants = (tags: AuthorizationRequest['tags'], tag: string): string[] => {
  const value = tags && Object.hasOwn(tags, tag) ? tags[tag] : undefined;
  return (value ?? '')
    .split(/[\s,]+/)
    .filter((id) => /^[UWS][A-Z0-9]{6,20}$/.test(id))
    .slice(0, 50);
};

/** The rules that could let someone press this button here. */
const applicableRules = (config: Permissions, request: Omit<AuthorizationRequest, 'user'>) =>
  config.permissions
    .map((rule, index) => ({ rule, index }))
    .filter(
      ({ rule }) =>
        rule.actions.includes(request.action) &&
        matches(rule.clusters, request.cluster) &&
        matches(rule.services, request.service),
    );

/** The user groups whose membership decides this click (to look up before deciding). */
const groupsToCheck = (
  config: Permissions,
  request: Omit<AuthorizationRequest, 'user'>,
): string[] => [
  ...new Set([
    ...applicableRules(config, request).flatMap(({ rule }) => rule.userGroups),
    ...tagGrants(request.tags, config.permissionTag).filter((id) => id.startsWith('S')),
  ]),
];

/** Whether the user may press the button; `memberOf` holds the groups (checked) they are in. */
const authorize = (
  config: Permissions,
  request: AuthorizationRequest,
  memberOf: ReadonlySet<string>,
): Authorization => {
  for (const { rule, index } of applicableRules(config, request)) {
    if (rule.users.includes(request.user))
      return { allowed: true, by: `chat.permissions[${index}]` };
    const group = rule.userGroups.find((g) => memberOf.has(g));
    if (group) return { allowed: true, by: `chat.permissions[${index}] (group ${group})` };
  }
  const granted = tagGrants(request.tags, config.permissionTag);
  if (granted.includes(request.user)) return { allowed: true, by: `tag ${config.permissionTag}` };
  const group = granted.find((g) => memberOf.has(g));
  if (group) return { allowed: true, by: `tag ${config.permissionTag} (group ${group})` };
  return { allowed: false };
};

export { type AuthorizationRequest, authorize, groupsToCheck, type Permissions };
