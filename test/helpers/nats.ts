// The local NATS server with JetStream, for the bus tests: each test creates its own stream
// (random name) and deletes it at the end. When the server is unreachable the suites skip.
import { randomBytes } from 'node:crypto';
import { connect } from 'nats';

export const NATS_URL = process.env.CREDENCE_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export const NATS_SKIP_NOTE =
  `NATS with JetStream is not reachable at ${NATS_URL}: skipping the JetStream tests. ` +
  'Start it (e.g. `nats-server -js`) or point CREDENCE_TEST_NATS_URL at a server.';

export async function natsAvailable(): Promise<boolean> {
  try {
    const nc = await connect({ servers: NATS_URL, timeout: 2000, reconnect: false });
    try {
      await (await nc.jetstreamManager()).getAccountInfo();
      return true;
    } finally {
      await nc.close();
    }
  } catch {
    return false;
  }
}

export function randomStreamName(): string {
  return `CREDENCE_TEST_${randomBytes(5).toString('hex').toUpperCase()}`;
}
