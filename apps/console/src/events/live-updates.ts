import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { ConsoleCamera } from '../cameras/cameras.repository';
import type { ConsoleEvent } from '../storage/event-store.repository';

export type LiveUpdate = { type: 'event'; event: ConsoleEvent } | { type: 'site'; site: string; online: boolean } | { type: 'camera'; camera: ConsoleCamera };

/** What changed, for the browsers watching `/api/stream`: events, cameras and sites, in the order they changed. */
@Injectable()
export class LiveUpdates {
  private readonly subject = new Subject<LiveUpdate>();

  get updates(): Observable<LiveUpdate> {
    return this.subject.asObservable();
  }

  publish(update: LiveUpdate): void {
    this.subject.next(update);
  }
}
