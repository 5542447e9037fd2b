// Fetching a small JSON document from an address a document named (a JSON-LD @context, when remote
// contexts are allowed): through the same address policy as the harvester, so that a pushed document
// cannot make the server reach its own network, with a time and a size limit, and no redirects to
// places the policy has not seen.
import { fetch } from 'undici';
import { AddressPolicy } from './address-policy.js';
import { fetchFailure, guardedAgent, refuseUrl } from './guarded-agent.js';

export function guardedJsonFetch(allow: string[], options: { timeoutMs: number; maxBytes: number }): (url: string) => Promise<unknown> {
  const policy = new AddressPolicy(allow);
  const agent = guardedAgent(policy, { timeoutMs: options.timeoutMs, bodyIdleMs: options.timeoutMs, connections: 2 });
  return async (url) => {
    const checked = refuseUrl(url, policy, 'fetched');
    if ('refusal' in checked) throw new Error(`JSON-LD context ${url}: ${checked.refusal.message}`);
    let res;
    try {
      res = await fetch(checked.url, { dispatcher: agent, redirect: 'manual', headers: { accept: 'application/ld+json, application/json' }, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (e) {
      throw new Error(`JSON-LD context ${url}: ${fetchFailure(e).message}`);
    }
    if (res.status >= 300 && res.status < 400) throw new Error(`JSON-LD context ${url}: redirected (HTTP ${res.status}); name the context's final address`);
    if (!res.ok) throw new Error(`JSON-LD context ${url}: HTTP ${res.status}`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body ?? []) {
      size += (chunk as Buffer).length;
      if (size > options.maxBytes) throw new Error(`JSON-LD context ${url} is larger than ${options.maxBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    } catch {
      throw new Error(`JSON-LD context ${url} is not JSON`);
    }
  };
}
