import { EVENT_KINDS } from '@vigil/contracts';
import { HWACCEL_MODES } from '@vigil/streams';
import { WEEKDAYS } from '../events/schedule';
import { z } from 'zod';

const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lowercase letters, digits, "-" or "_" (it is used in MQTT topics)')
  .describe('an id such as "warehouse-2" or "lobby_cam"');

const CameraUrl = z
  .string()
  .min(1)
  .refine((v) => /^(rtsps?|https?|rtmp|srt|udp|tcp|file):\/\//i.test(v) || v.startsWith('lavfi:') || /^[./~\w]/.test(v), {
    message: 'not a stream URL or file path',
  })
  .describe('an RTSP URL such as rtsp://user:pass@192.168.1.20:554/stream1, a video file path, or lavfi:<filtergraph>');

const RULE_FIELDS = {
  enabled: z.boolean().describe('true or false'),
  threshold: z.number().min(0.05).max(0.99).describe("a score between 0.05 and 0.99 (default: the model card's threshold)"),
  clearThreshold: z.number().min(0.01).max(0.99).describe('the score under which windows count towards closing (default: 60 % of threshold)'),
  minWindows: z.number().int().min(1).max(20).describe('consecutive windows over the threshold that open an event (1-20)'),
  clearWindows: z.number().int().min(1).max(120).describe('consecutive windows under the clear threshold that close it (1-120)'),
  smoothingWindows: z.number().int().min(1).max(20).describe('windows the score is averaged over before the rule sees it (1: none)'),
  peakStep: z.number().min(0).max(1).describe('an open event sends an update when its peak rises by this much (0: never)'),
  cooldownSeconds: z.number().min(0).max(86400).describe('seconds after an event closes before the same camera can raise the same kind again'),
  maxDurationSeconds: z.number().min(5).max(86400).describe('seconds after which an open event is closed anyway'),
};

const EventRuleSchema = z.strictObject({
  enabled: RULE_FIELDS.enabled.default(true),
  threshold: RULE_FIELDS.threshold.optional(),
  clearThreshold: RULE_FIELDS.clearThreshold.optional(),
  minWindows: RULE_FIELDS.minWindows.default(2),
  clearWindows: RULE_FIELDS.clearWindows.default(4),
  smoothingWindows: RULE_FIELDS.smoothingWindows.default(2),
  peakStep: RULE_FIELDS.peakStep.default(0.05),
  cooldownSeconds: RULE_FIELDS.cooldownSeconds.default(60),
  maxDurationSeconds: RULE_FIELDS.maxDurationSeconds.default(600),
});

/** Per-camera changes to the site's rule: only the fields given replace the site's. */
const EventRuleOverrideSchema = z.strictObject(
  Object.fromEntries(Object.entries(RULE_FIELDS).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof RULE_FIELDS]: z.ZodOptional<(typeof RULE_FIELDS)[K]>;
  },
);
export type EventRuleOverride = z.output<typeof EventRuleOverrideSchema>;

const Point = z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]);
const Polygon = z.array(Point).min(3, 'a polygon needs at least 3 points').max(64).describe('a list of [x, y] points from 0 (left/top) to 1 (right/bottom)');
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 07:30 or 22:00');
const ArmedPeriodSchema = z.strictObject({
  days: z
    .array(z.enum(WEEKDAYS))
    .min(1)
    .default([...WEEKDAYS])
    .describe(`days from ${WEEKDAYS.join(', ')}`),
  from: HHMM,
  to: HHMM.describe('a time; before "from" runs past midnight'),
});

export const CameraSchema = z.strictObject({
  id: Id,
  name: z.string().min(1).max(120).optional().describe('a display name; defaults to the id'),
  location: z.string().max(200).optional().describe('where the camera is, for operators and explanations'),
  url: CameraUrl,
  enabled: z.boolean().default(true).describe('true or false'),
  rtspTransport: z.enum(['tcp', 'udp']).default('tcp').describe('tcp or udp'),
  hwaccel: z
    .enum(HWACCEL_MODES)
    .optional()
    .describe(`one of ${HWACCEL_MODES.join(', ')} (default: ingest.hwaccel)`),
  codec: z.enum(['h264', 'hevc']).default('h264').describe('h264 or hevc; picks the Jetson decoder'),
  masks: z.array(Polygon).max(32).default([]).describe('regions blanked before inference (busy roads, TV screens), each a polygon of [x, y] points'),
  schedule: z
    .array(ArmedPeriodSchema)
    .max(32)
    .optional()
    .describe('when detection is armed, e.g. [{ days: [sat, sun], from: "00:00", to: "00:00" }] (default: always)'),
  events: z
    .strictObject({ fall: EventRuleOverrideSchema.optional(), fire: EventRuleOverrideSchema.optional(), smoke: EventRuleOverrideSchema.optional() })
    .optional()
    .describe('per kind, the fields of the site rule that differ on this camera, e.g. { fall: { threshold: 0.9 } }'),
});

export type EventRuleConfig = z.output<typeof EventRuleSchema>;

const EventsSchema = z
  .strictObject({ fall: EventRuleSchema.prefault({}), fire: EventRuleSchema.prefault({}), smoke: EventRuleSchema.prefault({}) })
  .prefault({})
  .describe(`per event kind (${EVENT_KINDS.join(', ')}): threshold, minWindows, clearWindows, cooldownSeconds`);

export const EXPLANATION_PROVIDERS = ['template', 'deepseek', 'openai-compatible'] as const;

const ExplanationsSchema = z
  .strictObject({
    provider: z
      .enum(EXPLANATION_PROVIDERS)
      .default('template')
      .describe(`who writes event explanations: ${EXPLANATION_PROVIDERS.join(', ')}`),
    language: z.enum(['en', 'zh-CN']).default('en').describe('en or zh-CN'),
    baseUrl: z.url().optional().describe('the OpenAI-compatible API root, e.g. http://127.0.0.1:8000/v1 (vLLM) or http://127.0.0.1:11434/v1 (Ollama)'),
    model: z.string().min(1).max(200).optional().describe('the model name the server knows, e.g. deepseek-chat or qwen2.5:7b-instruct'),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional()
      .describe('the environment variable holding the API key, e.g. DEEPSEEK_API_KEY (keeps the key out of the file)'),
    apiKey: z.string().min(1).optional().describe('the API key itself; prefer apiKeyEnv or ${DEEPSEEK_API_KEY} so the key stays out of the file'),
    timeoutSeconds: z.number().min(1).max(300).default(20).describe('seconds one request may take, 1-300'),
    retries: z.number().int().min(0).max(5).default(1).describe('extra attempts after a timeout, 429 or 5xx, 0-5'),
    concurrency: z.number().int().min(1).max(32).default(2).describe('requests in flight at once, 1-32'),
    vision: z.boolean().default(false).describe('true to send the event snapshot to a vision model'),
  })
  .prefault({});

export const SiteConfigSchema = z.strictObject({
  site: z.strictObject({
    id: Id,
    name: z.string().min(1).max(120).optional().describe('a display name for the site'),
    timezone: z.string().optional().describe('an IANA zone such as Europe/Paris, used in explanations (default: the host zone)'),
  }),
  cameras: z.array(CameraSchema).min(1, 'at least one camera is needed').describe('a list of cameras, each with id and url'),
  model: z
    .strictObject({
      card: z
        .string()
        .default('builtin')
        .describe(
          '"builtin" (the window model), "builtin-stream" (the streaming student), "builtin-tiles" (a window model for tiles: five times the work) or the path of a model card JSON file (relative paths resolve from the working directory)',
        ),
      threads: z.number().int().min(1).max(64).default(1).describe('threads per inference (1-64)'),
      thread: z
        .enum(['worker', 'main'])
        .default('worker')
        .describe(
          "worker (each model runs on a thread of its own, beside frame intake, MQTT and the other models) or main (in the agent's event loop, which every run stalls; for debugging)",
        ),
      executionProviders: z
        .array(z.enum(['tensorrt', 'cuda', 'cpu']))
        .default(['cpu'])
        .describe('a list from tensorrt, cuda, cpu, in order of preference'),
      mode: z.enum(['auto', 'window', 'streaming']).default('auto').describe('auto, window or streaming (auto: streaming when the card has streaming graphs)'),
      maxBatch: z.number().int().min(1).max(256).optional().describe('windows (or frames) in one inference run, 1-256 (default: the number of cameras)'),
      batchWaitMs: z
        .number()
        .min(0)
        .max(1000)
        .default(0)
        .describe('ms an idle model waits for other cameras to fill a batch, 0-1000 (0 on a CPU; 5-20 can pay on a GPU)'),
      hop: z
        .number()
        .int()
        .min(1)
        .max(64)
        .optional()
        .describe(
          "score a window every N new frames, 1-64 (default: the model card's hop; 1 gives the earliest alerts at N times the window model's cost, little extra for a streaming model)",
        ),
      views: z
        .enum(['whole', 'tiles'])
        .optional()
        .describe(
          "whole (the picture at the model's size) or tiles (also its four quadrants at twice the detail: five times the model's work, for weights trained on zoomed crops such as builtin-tiles; default: what the model card's thresholds were chosen for)",
        ),
      confirm: z
        .union([
          z.literal(false),
          z.strictObject({
            card: z
              .string()
              .default('builtin-tiles')
              .describe('the window model that confirms fire and smoke on the whole picture and its four quadrants: "builtin-tiles" or a card JSON path'),
            gate: z
              .number()
              .min(0)
              .max(0.99)
              .optional()
              .describe(
                'a score 0-0.99: windows whose fire or smoke score from model.card reaches it go to the confirming model; keep it under the fire and smoke thresholds (default: the gate in the confirming card, whose thresholds were chosen with it)',
              ),
          }),
        ])
        .optional()
        .describe(
          'false, or a second stage for fire and smoke (a cascade): model.card scores every window, model.confirm.card its candidates at five times the work, and that score decides (default: builtin-tiles confirms when model.card is builtin)',
        ),
      precision: z.enum(['fp32', 'fp16']).default('fp32').describe("fp32, or fp16 for the card's half-precision variant on CUDA/TensorRT (window mode)"),
      fall: z
        .enum(['pose', 'video'])
        .default('pose')
        .describe(
          "where fall scores come from: pose (the pose model's keypoints scored by the pose-fall model; holds up on new cameras) or video (the video model's fall label)",
        ),
      poseCard: z.string().default('builtin').describe('"builtin" or the path of a pose-fall card JSON file, its pose model beside it (used with fall: pose)'),
      poseMotionGate: z
        .number()
        .min(0)
        .max(50)
        .default(6)
        .describe(
          'grey levels: a frame where neither the picture nor the followed person changed more than this keeps the previous pose instead of running the pose model (0: off; 6 saves CPU on quiet cameras with the same events on our val clips)',
        ),
    })
    .prefault({}),
  events: EventsSchema,
  explanations: ExplanationsSchema,
  mqtt: z
    .strictObject({
      url: z
        .string()
        .regex(/^(mqtts?|wss?|tcp):\/\//, 'must start with mqtt://, mqtts://, ws:// or wss://')
        .default('mqtt://127.0.0.1:1883')
        .describe('the broker URL, e.g. mqtt://127.0.0.1:1883'),
      username: z.string().optional(),
      password: z.string().optional().describe('the broker password; use ${MQTT_PASSWORD} to keep it out of the file'),
      clientId: z.string().min(1).max(128).optional().describe('a client id unique on the broker (default: vigil-agent-<site id>)'),
      signingKey: z
        .string()
        .min(1)
        .optional()
        .describe(
          "path of the site's ed25519 private key (PEM, mode 0600) that signs event messages; made at first start (default: site-key.pem beside storage.path)",
        ),
      topicPrefix: z
        .string()
        .regex(/^[^#+\s]+$/, 'must not contain #, + or spaces')
        .default('vigil'),
      endToEndAcks: z
        .boolean()
        .default(true)
        .describe(
          "keep each event message until a console acknowledges it on vigil/<site>/acks, re-sending it meanwhile; false for sites without a Vigil console (delivery then ends at the broker's PUBACK)",
        ),
      ackTimeoutSeconds: z
        .number()
        .min(1)
        .max(3600)
        .default(30)
        .describe('seconds to wait for a console acknowledgement before sending an event message again (doubling each time, at most an hour)'),
      embeddedBroker: z
        .strictObject({
          enabled: z.boolean().default(false).describe('true to run an MQTT broker (aedes) inside the agent'),
          host: z.string().default('127.0.0.1').describe('the address the embedded broker listens on'),
          port: z.number().int().min(1).max(65535).default(1883).describe('a TCP port 1-65535'),
          users: z
            .string()
            .min(1)
            .optional()
            .describe(
              'path of the broker users file (JSON, mode 0600); made at first start with this agent and a "console" reader (default: mqtt-users.json beside storage.path)',
            ),
        })
        .prefault({}),
      homeAssistant: z
        .strictObject({
          discovery: z.boolean().default(true).describe('true to announce a binary sensor and a snapshot image per camera and kind to Home Assistant'),
          discoveryPrefix: z
            .string()
            .regex(/^[^#+\s]+$/, 'must not contain #, + or spaces')
            .default('homeassistant'),
        })
        .prefault({}),
      tls: z
        .strictObject({
          ca: z.string().min(1).optional().describe('path of the CA certificate (PEM) that signed the broker certificate'),
          cert: z.string().min(1).optional().describe('path of a client certificate (PEM), for brokers that require one'),
          key: z.string().min(1).optional().describe('path of the client key (PEM)'),
          rejectUnauthorized: z.boolean().default(true).describe('false only for testing; it accepts any broker certificate'),
        })
        .prefault({}),
    })
    .prefault({}),
  storage: z
    .strictObject({
      path: z.string().min(1).default('var/edge-agent.db').describe('the SQLite file for events and the outbox'),
      outboxRetentionDays: z.number().min(0).max(3650).default(7).describe('days delivered MQTT messages are kept; undelivered ones are kept until sent'),
    })
    .prefault({}),
  http: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8081).describe('a TCP port for /health, /metrics and media (0 picks a free one)'),
      publicUrl: z.url().optional().describe('the URL consoles use to reach this agent, e.g. http://10.0.0.5:8081 (default: http://<host>:<port>)'),
      token: z
        .string()
        .min(16, 'use at least 16 characters')
        .optional()
        .describe(
          'the bearer token consoles and Prometheus send (everything but /health needs it; use ${AGENT_TOKEN}); default: made at first start in agent-token beside storage.path, mode 0600',
        ),
    })
    .prefault({}),
  ingest: z
    .strictObject({
      ioTimeoutSeconds: z.number().min(1).max(120).default(5).describe('seconds of socket silence before ffmpeg gives up'),
      stallSeconds: z.number().min(2).max(300).default(10).describe('seconds without a frame before the stream is restarted'),
      reconnectMinSeconds: z.number().min(0.1).max(60).default(1),
      reconnectMaxSeconds: z
        .number()
        .min(0.5)
        .max(600)
        .default(5)
        .describe('longest wait between reconnect attempts; bounds how long a returning camera stays dark'),
      hwaccel: z
        .enum(HWACCEL_MODES)
        .default('none')
        .describe(`hardware decode for every camera: ${HWACCEL_MODES.join(', ')}`),
    })
    .prefault({}),
  preview: z
    .strictObject({
      fps: z.number().min(0.5).max(15).default(2).describe('preview pictures per second (snapshots, clips, live view), 0.5-15'),
      width: z.number().int().min(160).max(1920).multipleOf(2).default(640).describe('preview width in pixels, even, 160-1920'),
      quality: z.number().int().min(2).max(31).default(5).describe('JPEG quality scale 2 (best) .. 31 (smallest)'),
    })
    .prefault({}),
  media: z
    .strictObject({
      dir: z.string().min(1).default('var/media').describe('folder for event snapshots and clips'),
      clipPreSeconds: z.number().min(0).max(30).default(5).describe('seconds of video kept before an event, 0-30'),
      clipPostSeconds: z.number().min(1).max(60).default(10).describe('seconds of video after an event starts, 1-60'),
      clipEncoders: z.number().int().min(1).max(16).default(1).describe('clips encoded at once (1-16); more wait in a queue, at low priority'),
      clipQueue: z
        .number()
        .int()
        .min(0)
        .max(1000)
        .default(16)
        .describe('clips that may wait for an encoder (0-1000); beyond it a clip is skipped and its snapshot kept'),
      retentionDays: z.number().min(0.01).max(3650).default(30).describe('days snapshots and clips are kept'),
      maxMegabytes: z.number().min(10).max(10_000_000).default(5000).describe('disk budget for snapshots and clips in MB; the oldest go first'),
    })
    .prefault({}),
  logging: z
    .strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'), pretty: z.boolean().default(false) })
    .prefault({}),
});

export type SiteConfig = z.output<typeof SiteConfigSchema>;
export type CameraConfig = z.output<typeof CameraSchema>;
