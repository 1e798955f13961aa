/** The part of autocannon 8 (no published types) that bench/e2e.ts and the reliability suite use. */
declare module 'autocannon' {
	namespace autocannon {
		interface AutocannonRequest {
			method?: string;
			path?: string;
			headers?: Record<string, string>;
			body?: string | Buffer;
			setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest | false | null | undefined;
			onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
		}

		interface AutocannonOptions {
			url: string;
			connections?: number;
			amount?: number;
			duration?: number;
			pipelining?: number;
			/** Seconds. */
			timeout?: number;
			method?: string;
			headers?: Record<string, string>;
			body?: string;
			requests?: AutocannonRequest[];
		}

		interface Histogram {
			average: number;
			mean: number;
			stddev: number;
			min: number;
			max: number;
			p50: number;
			p90: number;
			p99: number;
			[key: string]: number;
		}

		interface AutocannonResult {
			/** Seconds. */
			duration: number;
			start: Date;
			finish: Date;
			/** Milliseconds. */
			latency: Histogram;
			requests: Histogram & { total: number; sent: number };
			throughput: Histogram & { total: number };
			errors: number;
			timeouts: number;
			non2xx: number;
			resets: number;
			'1xx': number;
			'2xx': number;
			'3xx': number;
			'4xx': number;
			'5xx': number;
			statusCodeStats: Record<string, { count: number }>;
		}
	}

	function autocannon(options: autocannon.AutocannonOptions): Promise<autocannon.AutocannonResult>;
	export = autocannon;
}
