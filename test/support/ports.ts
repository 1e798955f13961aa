/** Ports for tests: one on 127.0.0.1 that nothing listens on (for "connection refused" cases). */
import { createServer, type AddressInfo } from 'node:net';

/** A loopback port that was free a moment ago and is closed now: connecting to it is refused. */
export async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}
