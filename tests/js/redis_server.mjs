// A throwaway real Redis server for the differential tests.
//
//   const server = await startRedis(['--appendonly', 'yes']);
//   ... connect to 127.0.0.1:server.port, files live in server.dir ...
//   await server.stop();   // always: in t.after() or finally
//
// Listens on 127.0.0.1 only, on a port the OS picked as free a moment before,
// with its own temporary --dir and no RDB save points unless `extraArgs` says
// otherwise (later arguments override earlier ones in redis-server). When
// /usr/bin/redis-server is missing the test fails (never skips) and says how
// to install it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REDIS_SERVER = '/usr/bin/redis-server';
const START_TIMEOUT_MS = 10000;

function freePort() {
  return new Promise((resolve, reject) => {
    // Not unref'd: while the test awaits this port nothing else may keep
    // node's event loop alive, and an unref'd probe let the loop end before
    // listen's callback ("Promise resolution is still pending but the event
    // loop has already resolved", clean-clone run of 2026-12-07).
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// One PING over a fresh connection; resolves true on +PONG.
function ping(port) {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host: '127.0.0.1', port });
    let data = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startRedis(extraArgs = []) {
  if (!fs.existsSync(REDIS_SERVER)) {
    throw new Error(
      `${REDIS_SERVER} not found: the differential tests need a real Redis 7 server; ` +
        'run scripts/setup.sh (it installs Debian\'s redis-server and redis-tools)',
    );
  }
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdp-redis-'));
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '',
    '--appendonly', 'no', '--daemonize', 'no', '--logfile', path.join(dir, 'redis.log'),
    ...extraArgs];
  const child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  child.on('error', (err) => {
    exited = { code: null, signal: String(err) };
  });

  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (exited === null) {
      child.kill('SIGKILL');
      await exitPromise;
    }
    removeDir();
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited !== null) {
      let log = '';
      try {
        log = fs.readFileSync(path.join(dir, 'redis.log'), 'utf8').slice(-2000);
      } catch {
        // no log written
      }
      await stop();
      throw new Error(`redis-server exited at start (${JSON.stringify(exited)}): ${log}`);
    }
    if (await ping(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms`);
    }
    await sleep(20);
  }
  return { port, dir, pid: child.pid, stop };
}
