import { createHash, randomBytes } from 'node:crypto';
import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One small frame (payload < 126 bytes), masked as a client sends it or not as a server does. */
export function frame(text: string, masked: boolean): Buffer {
  const payload = Buffer.from(text);
  if (!masked) return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, body]);
}

/** The opcode and payload of one small frame, unmasking when needed. */
export function parseFrame(data: Buffer): { opcode: number; payload: Buffer } {
  const masked = (data[1]! & 0x80) !== 0;
  const length = data[1]! & 0x7f;
  if (!masked) return { opcode: data[0]! & 0x0f, payload: data.subarray(2, 2 + length) };
  const mask = data.subarray(2, 6);
  const payload = Buffer.from(data.subarray(6, 6 + length).map((b, i) => b ^ mask[i % 4]!));
  return { opcode: data[0]! & 0x0f, payload };
}

/** A WebSocket echo service: completes the handshake and echoes each text frame. */
export async function startWebSocketEcho() {
  const seen: IncomingHttpHeaders[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(426).end());
  server.on('upgrade', (req, socket: Socket) => {
    seen.push(req.headers);
    sockets.add(socket);
    const accept = createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}${GUID}`)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.on('data', (data: Buffer) => {
      const { opcode, payload } = parseFrame(data);
      if (opcode === 1) socket.write(frame(`echo: ${payload.toString()}`, false));
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Opens a WebSocket through `port`; resolves with the socket, or with the HTTP refusal. */
export function openWebSocket(
  port: number,
  path: string,
  headers: OutgoingHttpHeaders = {},
): Promise<
  | { upgraded: true; socket: Socket; next(): Promise<Buffer> }
  | { upgraded: false; status: number; headers: IncomingHttpHeaders; body: string }
> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      agent: false,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (_res, socket: Socket) => {
      const queue: Buffer[] = [];
      const waiting: ((data: Buffer) => void)[] = [];
      socket.on('data', (data: Buffer) => {
        const waiter = waiting.shift();
        if (waiter) waiter(data);
        else queue.push(data);
      });
      resolve({
        upgraded: true,
        socket,
        next: () =>
          new Promise((done) => {
            const queued = queue.shift();
            if (queued) done(queued);
            else waiting.push(done);
          }),
      });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        resolve({ upgraded: false, status: res.statusCode ?? 0, headers: res.headers, body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}
