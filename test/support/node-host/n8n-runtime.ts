/**
 * Process-wide pieces n8n-core's contexts pull from its DI container: the Logger (every
 * context's `this.logger` is `Container.get(Logger)`) and InstanceSettings (read in every
 * context constructor; it creates `<N8N_USER_FOLDER>/.n8n/config` on first use).
 *
 * The container is global, so one routing logger is installed and each NodeHost runs its
 * calls inside `hostScope`; log lines land in the host whose call produced them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import { LoggerProxy } from 'n8n-workflow';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LogLine {
	level: LogLevel;
	message: string;
	metadata?: Record<string, unknown>;
}

export interface LogSink {
	readonly logs: LogLine[];
}

export const hostScope = new AsyncLocalStorage<LogSink>();

function record(level: LogLevel, message: string, metadata?: Record<string, unknown>) {
	hostScope.getStore()?.logs.push(metadata === undefined ? { level, message } : { level, message, metadata });
}

const routingLogger = {
	error: (message: string, metadata?: Record<string, unknown>) => record('error', message, metadata),
	warn: (message: string, metadata?: Record<string, unknown>) => record('warn', message, metadata),
	info: (message: string, metadata?: Record<string, unknown>) => record('info', message, metadata),
	debug: (message: string, metadata?: Record<string, unknown>) => record('debug', message, metadata),
	scoped() {
		return routingLogger;
	},
};

let installed = false;

export function installN8nRuntime(): void {
	// Each jest test file gets its own module registry, hence its own Container: check it, not a flag alone.
	if (installed && Container.has(Logger) && Container.get(Logger) === (routingLogger as unknown as Logger)) return;
	if (process.env.N8N_USER_FOLDER === undefined) {
		// Keep InstanceSettings' generated config file out of the real home directory.
		const folder = join(tmpdir(), 'n8n-node-host-user');
		mkdirSync(folder, { recursive: true });
		process.env.N8N_USER_FOLDER = folder;
	}
	Container.set(Logger, routingLogger as unknown as Logger);
	LoggerProxy.init(routingLogger);
	// Every ExecuteContext/LoadOptionsContext pulls this singleton, whose 60 s cleanup interval
	// would keep jest from exiting; unref it rather than replace the real manager.
	const sshClients = Container.get(SSHClientsManager) as unknown as { cleanupTimer?: NodeJS.Timeout };
	sshClients.cleanupTimer?.unref();
	installed = true;
}
