/** The CLI's exit codes, documented in the README. */
const EXIT = {
  /** The command did what was asked and found nothing wrong. */
  ok: 0,
  /** The command ran and found problems: an invalid configuration, a failing check, a failed run. */
  findings: 1,
  /** The command could not run: bad arguments, an unreadable file, an unexpected error. */
  usage: 2,
} as const;

export { EXIT };
