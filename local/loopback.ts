import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListeningServer {
  /** The port the server got (a free one when 0 was asked). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 only: the local stack is never reachable from the network. Closing
 * also drops idle keep-alive connections (SDK clients keep them), which would otherwise hold
 * the close open.
 */
export async function listenOnLoopback(server: Server, port = 0): Promise<ListeningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A malformed request line or header gets a 400 and never reaches the handlers. */
export function refuseMalformedRequests(server: Server): void {
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
}
