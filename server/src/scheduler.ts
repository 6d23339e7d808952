import { CancellationTokenSource } from 'vscode-languageserver';

/** How long a check waits after the last keystroke before it starts. */
const DEBOUNCE_MS = 150;
/** Work runs this long before it lets the event loop read messages (a newer version, a cancellation, a request). */
const SLICE_MS = 8;

/**
 * When checks run: debounced per document, a newer version cancels the check of an older one, and long
 * work pauses at the engine's checkpoints so that requests are answered meanwhile. `yieldNow` is the
 * platform's way to let its event loop run (setImmediate on Node, a message on a channel in a worker).
 */
export class Scheduler {
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private running = new Map<string, CancellationTokenSource>();
  /** Documents to check once more when their running check ends. */
  private again = new Set<string>();
  private sliceStart = Date.now();

  constructor(
    private readonly run: (uri: string, token: CancellationTokenSource['token']) => Promise<void>,
    private readonly yieldNow: () => Promise<void>,
    private readonly onError: (uri: string, error: Error) => void,
  ) {}

  /** Where long work may pause: it does when the current slice is used up. */
  readonly checkpoint = (): Promise<void> | void => {
    if (Date.now() - this.sliceStart < SLICE_MS) return;
    return this.yieldNow().then(() => {
      this.sliceStart = Date.now();
    });
  };

  /** The document changed: its running check is cancelled and a new one starts after the debounce. */
  schedule(uri: string): void {
    this.running.get(uri)?.cancel();
    this.again.delete(uri);
    this.start(uri);
  }

  /**
   * Something the document's check reads changed (a link target's headings, a setting, a template):
   * it is checked again. A check already waiting for its debounce reads the new state and is not put
   * off (the workspace index re-checked the open runbook each time a link target's analysis ended,
   * and each time the check of the person's last keystroke waited 150 ms longer); a running one
   * finishes and is followed by one more.
   */
  recheck(uri: string): void {
    if (this.timers.has(uri)) return;
    if (this.running.has(uri)) this.again.add(uri);
    else this.start(uri);
  }

  private start(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        const source = new CancellationTokenSource();
        this.running.set(uri, source);
        this.run(uri, source.token)
          .catch((error: Error) => this.onError(uri, error))
          .finally(() => {
            if (this.running.get(uri) !== source) return source.dispose();
            this.running.delete(uri);
            source.dispose();
            if (this.again.delete(uri)) this.recheck(uri);
          });
      }, DEBOUNCE_MS),
    );
  }

  /** The document closed: nothing more runs for it. */
  cancel(uri: string): void {
    this.again.delete(uri);
    this.running.get(uri)?.cancel();
    this.running.delete(uri);
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }
}

/** Collects the URIs of changed summaries and sends them as one notification per window. */
export class ChangeBatcher {
  private uris: Set<string> | 'all' | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (uris: string[] | undefined) => void,
    private readonly windowMs = 300,
    private readonly most = 100,
  ) {}

  add(uris?: string[]): void {
    if (!uris || this.uris === 'all') this.uris = 'all';
    else {
      this.uris ??= new Set();
      for (const uri of uris) this.uris.add(uri);
      if (this.uris.size > this.most) this.uris = 'all';
    }
    this.timer ??= setTimeout(() => {
      const uris = this.uris;
      this.uris = this.timer = undefined;
      this.send(uris === 'all' || !uris ? undefined : [...uris]);
    }, this.windowMs);
  }
}
