// A TCP port on 127.0.0.1 that nothing listens on right now (the system picks it), for starting
// Jupyter, a hub or a static server in scripts and tests.
import * as net from 'net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
