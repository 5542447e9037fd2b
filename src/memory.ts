// Keeps the process's memory close to what it really uses when it reads a large input. Streaming an
// input of any size keeps a bounded amount live (a window of triples and the batches in flight, about
// 100 MB at most), but V8's default heuristics let the heap grow to three or four times the live size
// before collecting. Growing it by a fixed 30% after each full collection keeps a 230 MB ingest near
// 400 MB resident, at the price of more full collections: worth it for large inputs only, so small
// ones (a few pages, most pushes) keep V8's own heuristics. Measured in BENCHMARKS.md.
import v8 from 'node:v8';

/** Heap growth after a full collection: 1.3 times the live size. */
const HEAP_GROWING_PERCENT = 30;
/** Inputs at least this large (bytes), or of unknown size, get the bounded heap. */
export const LARGE_INPUT = 64 * 1024 * 1024;

/** Heap in use past which a process reading inputs of unknown size gets the bounded heap. */
export const UNKNOWN_SIZE_BOUND_AT = 128 * 1024 * 1024;
let watching: NodeJS.Timeout | undefined;
let bounded = false;

/** Bounds heap growth from now on (see boundMemoryFor), unless the operator chose the factor. */
export function boundHeapNow(): void {
  if (bounded || operatorChoseGrowth()) return;
  bounded = true;
  clearInterval(watching);
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

function operatorChoseGrowth(): boolean {
  const chosen = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].join(' ');
  return /--heap[-_]growing[-_]percent/.test(chosen);
}

/** Bounds heap growth for an input of the given size (undefined: unknown, e.g. a download or a
 * harvest), unless the operator chose the factor on the command line or in NODE_OPTIONS. V8 reads the
 * factor each time it sets the next heap limit, so setting it after start takes effect. For inputs
 * of unknown size the bound starts when one turns out large (a harvested document too large to hold
 * whole calls boundHeapNow) or once the heap in use passes UNKNOWN_SIZE_BOUND_AT: a harvest of a few
 * small pages keeps V8's own heuristics, whose fewer collections make it faster (the LDES benchmark:
 * 2.1 s against 2.3 s bounded from the start). */
export function boundMemoryFor(inputBytes: number | undefined): boolean {
  if (operatorChoseGrowth()) return false;
  if (inputBytes !== undefined && inputBytes < LARGE_INPUT) return false;
  if (inputBytes === undefined) {
    if (watching || bounded) return true;
    watching = setInterval(() => {
      if (v8.getHeapStatistics().used_heap_size >= UNKNOWN_SIZE_BOUND_AT) boundHeapNow();
    }, 100);
    watching.unref();
    return true;
  }
  boundHeapNow();
  return true;
}

let streams = 0;

/**
 * Keeps the heap close to what is live while a long stream runs in a server (a dump of the whole
 * catalogue makes garbage at the speed it writes, and V8 would otherwise let the heap grow to several
 * times the live size between full collections: 350 MB against 200 MB peak, measured on a dump of a
 * million records). Back to V8's own heuristics when the last such stream ends, unless the operator
 * chose a factor. Returns the function that ends it.
 */
export function boundHeapWhileStreaming(): () => void {
  if (operatorChoseGrowth()) return () => undefined;
  if (streams++ === 0) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    // 0 is V8's default: its own heuristics (unless the process is bounded for good: a large harvest).
    if (--streams === 0 && !bounded) v8.setFlagsFromString('--heap-growing-percent=0');
  };
}
