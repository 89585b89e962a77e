export { ConfigError } from './config-error';
export { formatIssues, formatPath } from './format-issues';
export { loadYamlConfig, parseYamlConfig, type LoadOptions } from './load-yaml-config';
export { escapeControl, pinoHttpOptions, type LoggingConfig } from './logging';
export { readCommandLine, UsageError } from './command-line';
export { scrapedMetrics } from './metrics';
export { Clock, SystemClock } from './clock';
