// Child process: the HTTP limit. A bare Fastify route at the same path as Credence's decision
// route, returning a fixed JSON body of the given size. Prints {url} and serves until killed.
// usage: bare-http.ts BODY_BYTES
import Fastify from 'fastify';

const size = Number(process.argv[2] ?? 600);
const base = { outcome: 'allow', reasons: [], pad: '' };
base.pad = 'x'.repeat(Math.max(0, size - JSON.stringify(base).length));
const body = JSON.stringify(base);
const app = Fastify({ logger: false });
app.post('/v1/decisions', async (_req, reply) => reply.type('application/json').send(body));
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
const port = addr && typeof addr === 'object' ? addr.port : 0;
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)); });
