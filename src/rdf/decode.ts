// Turns byte chunks into text chunks without splitting a multi-byte UTF-8 character between them.
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/** With `piece`, byte chunks are decoded that many bytes at a time: the parsers slice terms out of
 * the text they get, and a slice keeps its whole parent string alive (a decoded megabyte would even
 * live outside the heap), so small pieces keep what long-lived terms retain small. */
export async function* decodeUtf8(input: AsyncIterable<Uint8Array | string>, piece = Infinity): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of input) {
    if (typeof chunk === 'string') {
      if (chunk.length > 0) yield chunk;
      continue;
    }
    for (let at = 0; at < chunk.length; at += piece) {
      const text = decoder.decode(chunk.length <= piece ? chunk : chunk.subarray(at, at + piece), { stream: true });
      if (text.length > 0) yield text;
    }
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}

/** Gunzips a stream when it starts with the gzip magic bytes; passes it through otherwise. */
export async function* maybeGunzip(input: Readable): AsyncGenerator<Buffer> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await iterator.next();
  if (first.done) return;
  const head = first.value;
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => iterator };
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    (async () => {
      gunzip.write(head);
      for await (const c of rest) if (!gunzip.write(c)) await new Promise((r) => gunzip.once('drain', r));
      gunzip.end();
    })().catch((e: Error) => gunzip.destroy(e));
    yield* gunzip as AsyncIterable<Buffer>;
  } else {
    yield head;
    yield* rest;
  }
}
