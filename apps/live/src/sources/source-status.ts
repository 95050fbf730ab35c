import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import type { SourceStatus } from './audio-source';

/** The status of one source: holds the latest, replays it to late subscribers, skips exact repeats. */
export class SourceStatusSubject {
  private readonly subject = new BehaviorSubject<SourceStatus>({ state: 'starting' });
  readonly status$: Observable<SourceStatus> = this.subject.pipe(
    distinctUntilChanged((a, b) => a.state === b.state && a.detail === b.detail && a.overflows === b.overflows),
  );

  get current(): SourceStatus {
    return this.subject.value;
  }

  set(status: SourceStatus): void {
    this.subject.next(status);
  }
}
