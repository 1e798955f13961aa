/**
 * THE route table of the double: every route it serves is one row here. To add a route (a send or
 * transport route, say), add its name to `FaultRoute` in types.ts and one row below; `handle` gets the
 * guarded instance, the parsed body and the query, and returns the answer.
 */
import { instanceMissing, unauthorized } from './answers';
import { connectionStateAnswer, fetchInstancesAnswer, rootAnswer } from './instance-routes';
import type { Answer, DoubleContext, FaultRoute, InstanceState } from './types';
import { findAnswer, setAnswer } from './webhook-routes';

export interface RouteRequest {
	/** The `:instance` route's instance, after the guards (exists, then apikey); undefined on global routes. */
	instance: InstanceState | undefined;
	body: unknown;
	query: Record<string, string>;
	apikey: string | undefined;
	host: string | undefined;
}

export interface Route {
	name: FaultRoute;
	/** GET routes also answer HEAD, as express does. */
	method: 'GET' | 'POST';
	/** Lower-case path segments; ':instance' captures the instance name and turns on the guards. */
	path: readonly string[];
	handle(ctx: DoubleContext, request: RouteRequest): Answer;
}

const ROUTES: readonly Route[] = [
	{ name: 'root', method: 'GET', path: [], handle: (ctx, r) => rootAnswer(ctx, r.host) },
	{ name: 'fetchInstances', method: 'GET', path: ['instance', 'fetchinstances'], handle: (ctx, r) => fetchInstancesAnswer(ctx, r.apikey, r.query) },
	{ name: 'set', method: 'POST', path: ['webhook', 'set', ':instance'], handle: (ctx, r) => setAnswer(ctx, r.instance!, r.body, r.query) },
	{ name: 'find', method: 'GET', path: ['webhook', 'find', ':instance'], handle: (ctx, r) => findAnswer(ctx, r.instance!) },
	{ name: 'connectionState', method: 'GET', path: ['instance', 'connectionstate', ':instance'], handle: (_ctx, r) => connectionStateAnswer(r.instance!) },
];

export interface MatchedRoute {
	route: Route;
	name: FaultRoute;
	instanceName?: string;
}

/** Express routing: case-insensitive, optional trailing slash, params URL-decoded. */
export function matchRoute(method: string, pathWithQuery: string): MatchedRoute | null {
	let pathname = pathWithQuery.split('?')[0];
	if (pathname.length > 1 && pathname.endsWith('/')) pathname = pathname.slice(0, -1);
	const segments = pathname === '/' || pathname === '' ? [] : pathname.split('/').slice(1);
	const verb = method === 'HEAD' ? 'GET' : method;
	for (const route of ROUTES) {
		if (route.method !== verb || route.path.length !== segments.length) continue;
		let instanceName: string | undefined;
		const matches = route.path.every((part, index) => {
			if (part !== ':instance') return segments[index].toLowerCase() === part;
			instanceName = decodeSegment(segments[index]);
			return segments[index] !== '';
		});
		if (matches) return { route, name: route.name, instanceName };
	}
	return null;
}

/** Guard order of every version: instance exists → (logged) → auth, so an unknown instance is 404 whatever the key. */
export function dispatch(ctx: DoubleContext, matched: MatchedRoute, request: Omit<RouteRequest, 'instance'>): Answer {
	if (matched.instanceName === undefined) return matched.route.handle(ctx, { ...request, instance: undefined });
	const instance = ctx.instances.get(matched.instanceName);
	if (!instance) return instanceMissing(matched.instanceName);
	if (!request.apikey || (request.apikey !== ctx.globalKey && request.apikey !== instance.token)) return unauthorized();
	return matched.route.handle(ctx, { ...request, instance });
}

function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
