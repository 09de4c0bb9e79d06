// A tiny RESP2 client over node:net for the differential tests.
//
//   const client = await connectResp(port);
//   await client.call(['ZADD', 'q', '1', 'a'])  // -> {type: 'integer', value: 1}
//   client.close();
//
// Replies come in exactly the JSON shape of sdp::redis::Reply::ToJson
// (core/include/sdp/redis/reply.h), so ours and the real server's compare with
// assert.deepEqual:
//   {type:'status', value:'OK'}        {type:'error', value:'ERR syntax error'}
//   {type:'integer', value:3}          {type:'bulk', value:'1.5'}
//   {type:'nil'}                       {type:'nil_array'}
//   {type:'array', value:[...replies]}
// Integers outside JavaScript's safe range come back as strings of digits
// (Reply::ToJson writes int64 exactly; JSON.parse would round them).
// Bulk strings are decoded as UTF-8. Calls may be issued without awaiting
// each other: replies are matched to calls in order (RESP is ordered).
import net from 'node:net';

export function encodeCommand(argv) {
  const parts = [`*${argv.length}\r\n`];
  for (const arg of argv) {
    const bytes = Buffer.from(String(arg), 'utf8');
    parts.push(`$${bytes.length}\r\n`, bytes, '\r\n');
  }
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
}

// Parses one reply at `offset`; returns [reply, nextOffset] or null if incomplete.
function parseReply(buf, offset) {
  const lineEnd = buf.indexOf('\r\n', offset, 'latin1');
  if (lineEnd < 0) return null;
  const prefix = String.fromCharCode(buf[offset]);
  const line = buf.toString('utf8', offset + 1, lineEnd);
  const after = lineEnd + 2;
  switch (prefix) {
    case '+': return [{ type: 'status', value: line }, after];
    case '-': return [{ type: 'error', value: line }, after];
    case ':': {
      const n = BigInt(line);
      const safe = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER);
      return [{ type: 'integer', value: safe ? Number(n) : line }, after];
    }
    case '$': {
      const len = Number(line);
      if (len < 0) return [{ type: 'nil' }, after];
      if (buf.length < after + len + 2) return null;
      return [{ type: 'bulk', value: buf.toString('utf8', after, after + len) }, after + len + 2];
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return [{ type: 'nil_array' }, after];
      const elements = [];
      let at = after;
      for (let i = 0; i < count; i += 1) {
        const parsed = parseReply(buf, at);
        if (parsed === null) return null;
        elements.push(parsed[0]);
        at = parsed[1];
      }
      return [{ type: 'array', value: elements }, at];
    }
    default:
      throw new Error(`resp_client: unexpected reply byte ${JSON.stringify(prefix)}`);
  }
}

export function connectResp(port, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host, port });
    const pending = [];
    let buffer = Buffer.alloc(0);
    let failure = null;
    const failAll = (err) => {
      failure = err;
      while (pending.length) pending.shift().reject(err);
    };
    socket.on('data', (chunk) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      let offset = 0;
      for (;;) {
        if (offset >= buffer.length || pending.length === 0) break;
        let parsed;
        try {
          parsed = parseReply(buffer, offset);
        } catch (err) {
          failAll(err);
          socket.destroy();
          return;
        }
        if (parsed === null) break;
        offset = parsed[1];
        pending.shift().resolve(parsed[0]);
      }
      buffer = buffer.subarray(offset);
    });
    socket.on('error', (err) => {
      reject(err);
      failAll(err);
    });
    socket.on('close', () => failAll(failure ?? new Error('resp_client: connection closed')));
    socket.on('connect', () => {
      resolve({
        call(argv) {
          if (failure) return Promise.reject(failure);
          return new Promise((res, rej) => {
            pending.push({ resolve: res, reject: rej });
            socket.write(encodeCommand(argv));
          });
        },
        close() {
          socket.end();
        },
      });
    });
  });
}
