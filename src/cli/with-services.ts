// The services of a short command (warn-level logs), closed when the command is done, whatever happens.
import { logger } from '../log.js';
import type { Config } from '../config.js';
import { createServices, type Services } from '../app.js';

export async function withServices(config: () => Config, fn: (services: Services) => Promise<void>): Promise<void> {
  const services = await createServices(config(), logger('warn'));
  try {
    await fn(services);
  } finally {
    await services.close();
  }
}
