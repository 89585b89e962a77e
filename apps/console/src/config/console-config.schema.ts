import { parsePublicKey } from '@vigil/contracts';
import { z } from 'zod';

const SiteKeyText = z.string().superRefine((text, ctx) => {
  try {
    parsePublicKey(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

export const ConsoleConfigSchema = z.strictObject({
  http: z
    .strictObject({
      host: z.string().default('127.0.0.1').describe('the address to serve the console on (0.0.0.0 for every interface)'),
      port: z.number().int().min(0).max(65535).default(8080).describe('a TCP port (0 picks a free one)'),
      trustProxy: z
        .array(z.string().min(1))
        .default([])
        .describe(
          'addresses or subnets of reverse proxies whose X-Forwarded-For is believed (e.g. [loopback] or [10.0.0.2]); empty: none, the sign-in lockout keys on the peer address',
        ),
      allowedOrigins: z
        .array(z.url().regex(/^https?:\/\/[^/]+$/, 'an origin: scheme://host[:port], no path'))
        .default([])
        .describe(
          "origins (https://console.example.com) a browser may change state from besides the console's own, e.g. behind a reverse proxy that rewrites Host",
        ),
    })
    .prefault({}),
  mqtt: z
    .strictObject({
      url: z
        .string()
        .regex(/^(mqtts?|wss?|tcp):\/\//, 'must start with mqtt://, mqtts://, ws:// or wss://')
        .default('mqtt://127.0.0.1:1883')
        .describe('the broker URL'),
      username: z.string().optional(),
      password: z.string().optional().describe('the broker password; use ${MQTT_PASSWORD} to keep it out of the file'),
      clientId: z
        .string()
        .min(1)
        .max(128)
        .default('vigil-console')
        .describe('a client id unique on the broker; the broker keeps its subscription while the console is down'),
      topicPrefix: z
        .string()
        .regex(/^[^#+\s]+$/, 'must not contain #, + or spaces')
        .default('vigil'),
      sharedGroup: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "_" or "-"')
        .optional()
        .describe('subscribe as $share/<group>/... so several console replicas split the events (all share one database)'),
      siteKeys: z
        .record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a site id'), z.array(SiteKeyText).min(1))
        .default({})
        .describe("per site id, the public keys (ed25519:...) whose signatures the console accepts on that site's events; each agent logs its key at start"),
      requireSignatures: z
        .boolean()
        .default(true)
        .describe('false accepts unsigned events from any site (only for a broker nobody else can write to, e.g. a test bench)'),
    })
    .prefault({}),
  agents: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a site id'),
      z.strictObject({
        url: z
          .url()
          .regex(/^https?:\/\//, 'an http(s) URL')
          .describe("the agent's HTTP address as the console reaches it, e.g. http://10.0.0.5:8081"),
        token: z.string().min(16).describe("the agent's http.token (or its agent-token file); use ${AGENT_TOKEN}"),
      }),
    )
    .default({})
    .describe('per site id, where the console fetches snapshots, clips and live views, and the token it sends; operators never reach agents'),
  auth: z
    .strictObject({
      sessionHours: z
        .number()
        .min(0.25)
        .max(24 * 30)
        .default(12)
        .describe('hours a sign-in lasts'),
      secureCookies: z
        .boolean()
        .default(false)
        .describe('true when the console is served over HTTPS (a reverse proxy): the session cookie is then never sent over plain HTTP'),
    })
    .prefault({}),
  storage: z.strictObject({ path: z.string().min(1).default('var/console.db').describe('the SQLite file of the console') }).prefault({}),
  logging: z
    .strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'), pretty: z.boolean().default(false) })
    .prefault({}),
});

export type ConsoleConfig = z.output<typeof ConsoleConfigSchema>;
