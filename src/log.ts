// The process log: pino, JSON lines. Credentials never reach it: request headers that carry them,
// sources' credentials and SMTP passwords are replaced wherever a logged object holds them.
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

export function logger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: SECRETS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
