// Lambda code logs through Powertools to stdout; keep test output readable unless asked.
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.HARBORMASTER_TEST_LOGS ? 'DEBUG' : 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
