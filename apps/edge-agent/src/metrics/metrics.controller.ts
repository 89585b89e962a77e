import { Controller, Get, Header } from '@nestjs/common';
import { scrapedMetrics } from '@vigil/config';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CameraManagerService } from '../camera/camera-manager.service';
import { EventService } from '../events/event.service';
import { ModelRepository } from '../inference/model.repository';
import { MediaService } from '../media/media.service';
import { MqttRepository } from '../mqtt/mqtt.repository';
import { OutboxRepository } from '../storage/outbox.repository';

const STATES = ['connecting', 'online', 'stalled', 'offline'] as const;

/** Prometheus exposition of camera, inference and delivery health, read fresh at every scrape. */
@Controller()
export class MetricsController {
  private readonly registry = new Registry();

  constructor(
    cameras: CameraManagerService,
    model: ModelRepository,
    mqtt: MqttRepository,
    outbox: OutboxRepository,
    media: MediaService,
    events: EventService,
  ) {
    // Node's process metrics under their standard names (process_cpu_seconds_total, ...), as every exporter has them
    collectDefaultMetrics({ register: this.registry });
    const labelNames = ['camera'] as const;
    const gauge = (name: string, help: string, collect: (g: Gauge<'camera'>) => void) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [this.registry],
        collect() {
          this.reset();
          collect(this);
        },
      });
    const { gauge: value, counter } = scrapedMetrics(this.registry);
    const cameraCounter = (name: string, help: string, read: (c: ReturnType<CameraManagerService['health']>[number]) => number) =>
      new Counter({
        name,
        help,
        labelNames,
        registers: [this.registry],
        collect() {
          this.reset();
          for (const c of cameras.health()) this.inc({ camera: c.id }, read(c));
        },
      });
    gauge('vigil_camera_fps', 'Frames per second read from the camera at the analysis rate', (g) =>
      cameras.health().forEach((c) => g.set({ camera: c.id }, c.fps)),
    );
    cameraCounter('vigil_camera_reconnects_total', 'Stream sessions restarted since the agent started', (c) => c.reconnects);
    cameraCounter('vigil_camera_frames_dropped_total', 'Frames dropped because inference was busy (latest frame wins)', (c) => c.dropped);
    cameraCounter('vigil_camera_windows_total', 'Windows scored by the model', (c) => c.windows);
    gauge('vigil_camera_last_frame_age_seconds', 'Seconds since the newest frame', (g) =>
      cameras.health().forEach((c) => c.lastFrameAgeMs !== null && g.set({ camera: c.id }, c.lastFrameAgeMs / 1000)),
    );
    new Gauge({
      name: 'vigil_camera_state',
      help: '1 for the current stream state of each camera',
      labelNames: ['camera', 'state'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of cameras.health()) for (const s of STATES) this.set({ camera: c.id, state: s }, c.state === s ? 1 : 0);
      },
    });
    value('vigil_outbox_pending', 'Event messages waiting for a broker acknowledgement', () => outbox.pending());
    value('vigil_event_storage_degraded', '1 while events cannot be written (disk full, read-only database); cameras keep running', () =>
      events.storage.state === 'degraded' ? 1 : 0,
    );
    counter('vigil_event_write_failures_total', 'Event writes that failed and are retried', () => events.storage.failures);
    value('vigil_outbox_unacknowledged', 'Event messages sent but not yet acknowledged by a console', () => outbox.unacknowledged());
    value('vigil_mqtt_connected', '1 while connected to the MQTT broker', () => (mqtt.connected ? 1 : 0));
    const runs = new Histogram({
      name: 'vigil_inference_run_seconds',
      help: 'Duration of one session run (a batch), by graph: window, frame (encoder), temporal, confirm, pose or pose-fall',
      labelNames: ['graph'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1],
      registers: [this.registry],
    });
    const batches = new Histogram({
      name: 'vigil_inference_batch_size',
      help: 'Items per session run, by graph',
      labelNames: ['graph'],
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers: [this.registry],
    });
    model.onRun((graph, ms, batch) => {
      runs.observe({ graph }, ms / 1000);
      batches.observe({ graph }, batch);
    });
    counter('vigil_inference_frames_total', 'Frames through the frame encoder (streaming models)', () => model.stats?.frames ?? 0);
    value('vigil_clip_queue', 'Event clips waiting for an encoder', () => media.clipsWaiting);
    counter('vigil_clips_skipped_total', 'Event clips not written because media.clipQueue was full', () => media.clipsSkipped);
    counter('vigil_inference_windows_total', 'Windows scored', () => model.stats?.windows ?? 0);
    counter(
      'vigil_inference_confirmed_windows_total',
      'Windows whose fire or smoke candidate the confirming model scored (model.confirm; vigil_inference_windows_total counts all)',
      () => model.cascadeStats?.confirmed ?? 0,
    );
    counter('vigil_inference_thread_restarts_total', 'Inference threads started again after one was lost (model.thread: worker)', () => model.threadRestarts);
    // time per window: vigil_inference_run_seconds (a histogram per graph) replaces the mean in milliseconds
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
