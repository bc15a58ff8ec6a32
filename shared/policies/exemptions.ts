/**
 * Exemptions are tags on the resource (or on its task definition): `<exemptionTag>` exempts it from
 * every policy, `<exemptionTag>:<policy or rule>` from one. The value is the expiry date and the
 * reason, `2026-12-31 vendor image, fixed in 4.2` (ECS tag values allow letters, digits, spaces and
 * + - = . _ : / @), so every exemption says why and ends.
 */

const VALUE = /^(\d{4}-\d{2}-\d{2})\s+(\S.*)$/s;

/** What the tags say about one failure: exempt (and why) or not (and, if a tag tried, why not). */
interface ExemptionVerdict {
  exempt: boolean;
  note: string | undefined;
}

const NOT_EXEMPT: ExemptionVerdict = { exempt: false, note: undefined };

const endOfDay = (date: string): number => Date.parse(`${date}T23:59:59.999Z`);

/** Reads one exemption tag. */
const verdictOf = (key: string, value: string, now: Date): ExemptionVerdict => {
  const match = VALUE.exec(value.trim());
  const expires = match?.[1] ?? '';
  const until = endOfDay(expires);
  if (!match || Number.isNaN(until)) {
    return {
      exempt: false,
      note: `exemption tag ${key} is ignored: its value must be "YYYY-MM-DD reason"`,
    };
  }
  if (now.getTime() > until) {
    return { exempt: false, note: `exemption tag ${key} expired on ${expires}` };
  }
  return { exempt: true, note: `exempt until ${expires}: ${match[2]?.trim()} (tag ${key})` };
};

/**
 * Whether a failure of `rule` in `policy` is exempt. The most specific tag wins: the rule's, then
 * the policy's, then the blanket one.
 */
const exemptionFor = (
  tags: Readonly<Record<string, string>>,
  exemptionTag: string,
  policy: string,
  rule: string,
  now: Date,
): ExemptionVerdict => {
  for (const key of [`${exemptionTag}:${rule}`, `${exemptionTag}:${policy}`, exemptionTag]) {
    const value = tags[key];
    if (value !== undefined) return verdictOf(key, value, now);
  }
  return NOT_EXEMPT;
};

export { type ExemptionVerdict, exemptionFor };
