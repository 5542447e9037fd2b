// The request-rate limit per address is off in the benchmarks that measure how fast one client is
// answered: they send thousands of requests a minute from one address, which in production would be
// many researchers at many addresses. bench/load.ts keeps the limits and measures them.
export const UNLIMITED = { VINDBAAR_RATE_LIMIT_PER_ADDRESS: '0' } as const;
