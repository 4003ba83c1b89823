// A Node.js application that knows only the Sentinel endpoint: ioredis in Sentinel mode
// (sentinels + name), writing a key every 50 ms and printing one line per outcome:
//   ok <n> <port of the data node that took it>   |   err <n> <message>
// Usage: node ioredis-sentinel.js <sentinel-port> <group> <tests/node_modules>. Runs until killed.
const [port, name, modules] = process.argv.slice(2);
const Redis = require(require('path').join(modules, 'ioredis'));

const redis = new Redis({
  sentinels: [{ host: '127.0.0.1', port: Number(port) }],
  name,
  connectTimeout: 1000,
  retryStrategy: () => 100,
  sentinelRetryStrategy: () => 100,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: true,
});
redis.on('error', () => {});

let n = 0;
async function tick() {
  n += 1;
  try {
    await redis.set(`ioredis:${n}`, String(n));
    console.log(`ok ${n} ${redis.stream ? redis.stream.remotePort : '?'}`);
  } catch (e) {
    console.log(`err ${n} ${String(e.message).split('\n')[0]}`);
  }
  setTimeout(tick, 50);
}
tick();
