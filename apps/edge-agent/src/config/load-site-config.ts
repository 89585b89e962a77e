import { ConfigError, loadYamlConfig } from '@vigil/config';
import { existsSync } from 'node:fs';
import { SiteConfigSchema, type SiteConfig } from './site-config.schema';

/** Loads and validates the site file once, at boot; everything after this works on the typed result. */
export function loadSiteConfig(path: string, env: Record<string, string | undefined>): SiteConfig {
  const config = loadYamlConfig(path, SiteConfigSchema, { env });
  const problems: string[] = [];
  const seen = new Set<string>();
  config.cameras.forEach((camera, i) => {
    // an "@" after the first "/" with none before it: a password holding "/", which URL parsers and ffmpeg cut there
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*\/[^\s]*@/i.test(camera.url)) {
      problems.push(
        `cameras[${i}].url: the user or password seems to contain "/", "?" or "#"; write them percent-encoded (%2F, %3F, %23) so the password is not read as part of the path`,
      );
    }
    if (seen.has(camera.id)) problems.push(`cameras[${i}].id: "${camera.id}" is used by another camera; camera ids must be unique`);
    seen.add(camera.id);
  });
  if (!config.cameras.some((c) => c.enabled)) problems.push('cameras: every camera is disabled; enable at least one');
  if (config.ingest.reconnectMaxSeconds < config.ingest.reconnectMinSeconds) {
    problems.push('ingest.reconnectMaxSeconds: must be at least ingest.reconnectMinSeconds');
  }
  problems.push(...explanationProblems(config, env));
  for (const key of ['ca', 'cert', 'key'] as const) {
    const file = config.mqtt.tls[key];
    if (file && !existsSync(file))
      problems.push(`mqtt.tls.${key}: no file at "${file}"; give the path of the PEM file (relative paths resolve from the working directory)`);
  }
  if (Boolean(config.mqtt.tls.cert) !== Boolean(config.mqtt.tls.key)) problems.push('mqtt.tls: cert and key go together; set both or neither');
  if (problems.length) throw new ConfigError(path, problems);
  const keyEnv = config.explanations.apiKeyEnv ?? (config.explanations.provider === 'deepseek' ? DEEPSEEK_DEFAULTS.apiKeyEnv : undefined);
  if (!config.explanations.apiKey && keyEnv && config.explanations.provider !== 'template') config.explanations.apiKey = env[keyEnv];
  return config;
}

export const DEEPSEEK_DEFAULTS = { baseUrl: 'https://api.deepseek.com/v1', model: 'deepseek-chat', apiKeyEnv: 'DEEPSEEK_API_KEY' };

/** An LLM provider needs somewhere to send requests and, for DeepSeek, a key in the environment. */
function explanationProblems(config: SiteConfig, env: Record<string, string | undefined>): string[] {
  const e = config.explanations;
  const problems: string[] = [];
  if (e.provider === 'template') return problems;
  if (e.provider === 'openai-compatible') {
    if (!e.baseUrl) problems.push('explanations.baseUrl: required when provider is openai-compatible; e.g. http://127.0.0.1:8000/v1');
    if (!e.model) problems.push('explanations.model: required when provider is openai-compatible; the model name your server serves');
  }
  const keyEnv = e.apiKeyEnv ?? (e.provider === 'deepseek' ? DEEPSEEK_DEFAULTS.apiKeyEnv : undefined);
  if (!e.apiKey && keyEnv && !env[keyEnv])
    problems.push(`explanations.apiKeyEnv: the environment variable ${keyEnv} is not set; export the API key as ${keyEnv}, or use provider: template`);
  return problems;
}
