// The process log: pino, JSON lines. Credentials never reach it: request headers that carry them,
// sources' credentials and SMTP passwords are replaced wherever a logged object holds them, and
// secret-looking query values in logged request addresses are hidden.
import { pino, type DestinationStream, type Logger } from 'pino';

const SECRETS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'credentials',
  '*.credentials',
  'password',
  '*.password',
  'smtpUrl',
  '*.smtpUrl',
  'adminKey',
  '*.adminKey',
];

/** Query parameters whose values are secrets by their names: the key of a feedback answer link
 * (`/feedback/{id}/answer?key=`), tokens, passwords, signatures. */
const SECRET_PARAM = /token|key|secret|pass|auth|sig|credential|session/i;

/** A request's address as the log shows it: secret-looking query values hidden. */
export function loggableUrl(url: string): string {
  return url.replace(/([?&])([^=&#]*)=([^&#]*)/g, (whole, sep: string, name: string) => (SECRET_PARAM.test(name) ? `${sep}${name}=(hidden)` : whole));
}

interface LoggedRequest {
  method?: string;
  url?: unknown;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Fastify's request serializer, but with the address's secrets hidden. */
function request(req: LoggedRequest): unknown {
  if (!req || typeof req.url !== 'string') return req;
  return { method: req.method, url: loggableUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

export function logger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: SECRETS, censor: '[redacted]' }, serializers: { req: request } };
  return destination ? pino(options, destination) : pino(options);
}
