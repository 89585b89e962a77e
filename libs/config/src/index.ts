export { ConfigError } from './config-error';
export { loadYamlConfig, parseYamlConfig } from './load-yaml-config';
export { pinoHttpOptions } from './logging';
export { readCommandLine, UsageError } from './command-line';
export { scrapedMetrics } from './metrics';
export { Clock, SystemClock } from './clock';
