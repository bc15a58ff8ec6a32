/** The CLI's exit codes, documented in the README and in every command's --help. */
const EXIT = {
  /** The command did what was asked and found nothing wrong. */
  ok: 0,
  /** The command ran and found problems: an invalid configuration, a failing check, a failed run. */
  findings: 1,
  /** The command could not run: bad arguments, an unreadable file, an unexpected error. */
  usage: 2,
} as const;

/** The "Exit codes" paragraph of a command's --help: what 0 and 1 mean for it (2 is always usage). */
const exitCodesHelp = (meaning: { ok: string; findings?: string }): string =>
  [
    '',
    'Exit codes:',
    `  ${EXIT.ok}  ${meaning.ok}`,
    ...(meaning.findings ? [`  ${EXIT.findings}  ${meaning.findings}`] : []),
    `  ${EXIT.usage}  bad arguments, an unreadable file or configuration, an unexpected error`,
  ].join('\n');

export { EXIT, exitCodesHelp };
