/**
 * Reading executions of a real n8n in end-to-end suites: what a node emitted, and "the next execution
 * of this workflow" without sleeping (poll the public API, newest first).
 */
import type { Execution, N8nInstance } from './n8n';

export interface OutputItem {
	json: Record<string, unknown>;
	binary?: Record<string, { mimeType?: string; fileName?: string; fileSize?: string | number; [key: string]: unknown }>;
}

/** Items a node emitted on one output in its first run of `execution` ([] when it emitted nothing there). */
export function outputOf(execution: Execution, nodeName: string, output = 0): OutputItem[] {
	const runs = execution.data?.resultData?.runData?.[nodeName];
	if (!runs || runs.length === 0) throw new Error(`node "${nodeName}" did not run in execution ${execution.id}`);
	return (runs[0].data?.main?.[output] ?? []) as OutputItem[];
}

/** The error message an execution ended with, if any. */
export function errorOf(execution: Execution): string | undefined {
	const error = execution.data?.resultData?.error as { message?: string } | undefined;
	return error?.message;
}

const SETTLED = (execution: Execution) =>
	execution.finished || (execution.status !== undefined && !['new', 'running', 'waiting', 'unknown'].includes(execution.status));

/**
 * Counts a workflow's executions so a suite can say "exactly one new execution since" and read it.
 * `settle()` first: an execution started earlier must not count as the next one.
 */
export class ExecutionWatch {
	private known = 0;

	constructor(
		private readonly n8n: N8nInstance,
		readonly workflowId: string,
	) {}

	/** Remembers how many executions exist now. */
	async settle(): Promise<void> {
		this.known = (await this.n8n.executions(this.workflowId, { includeData: false })).length;
	}

	/** Waits for exactly `count` new, settled executions (oldest first) and remembers them as known. */
	async next(count = 1, description = 'the next execution'): Promise<Execution[]> {
		const fresh = await this.n8n.waitFor(
			async () => {
				const all = await this.n8n.executions(this.workflowId);
				const added = all.slice(0, all.length - this.known);
				return added.length >= count && added.every(SETTLED) && added;
			},
			{ intervalMs: 100, timeoutMs: 20_000, description: `${description} of workflow ${this.workflowId}` },
		);
		this.known += fresh.length;
		if (fresh.length !== count) {
			throw new Error(`expected ${count} new execution(s) of workflow ${this.workflowId}, found ${fresh.length}`);
		}
		return fresh.reverse();
	}
}
