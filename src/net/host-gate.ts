// Politeness per host: at most `limit` requests in flight to one host, starts at least `intervalMs`
// apart, and a pause when the host asks for one (429 or 503 with Retry-After). Whoever shares a host
// (several sources, thousands of links) shares its gate.

export class HostGate {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();
  /** Earliest time the next request to a host may start. */
  private readonly nextStart = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly intervalMs = 0,
  ) {}

  /** Waits for a slot for `host`; call the returned function when the request is done. */
  async acquire(host: string): Promise<() => void> {
    while ((this.active.get(host) ?? 0) >= this.limit)
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(host);
        if (queue) queue.push(resolve);
        else this.waiting.set(host, [resolve]);
      });
    this.active.set(host, (this.active.get(host) ?? 0) + 1);
    // Reserve a start time, so that requests waiting together start `intervalMs` apart.
    const now = Date.now();
    const at = Math.max(now, this.nextStart.get(host) ?? 0);
    if (this.intervalMs > 0 || at > now) this.nextStart.set(host, at + this.intervalMs);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.active.get(host) ?? 1) - 1;
      if (n === 0) this.active.delete(host);
      else this.active.set(host, n);
      const next = this.waiting.get(host)?.shift();
      if (this.waiting.get(host)?.length === 0) this.waiting.delete(host);
      if (next) next();
      else if (n === 0 && (this.nextStart.get(host) ?? 0) <= Date.now()) this.nextStart.delete(host);
    };
  }

  /** The host asked us to wait (Retry-After): no new request to it starts before `ms` from now. */
  pause(host: string, ms: number): void {
    this.nextStart.set(host, Math.max(this.nextStart.get(host) ?? 0, Date.now() + ms));
  }
}
