import { createHmac } from 'node:crypto';

function base64Url(input: string | Buffer): string {
	return Buffer.from(input).toString('base64url');
}

/**
 * The token Evolution 2.3+ sends as `Authorization: Bearer …` when `headers.jwt_key` is set:
 * jsonwebtoken.sign({iat, exp: iat + 600, app: 'evolution', action: 'webhook'}, jwt_key, HS256).
 */
export function signWebhookJwt(secret: string, nowMs: number = Date.now()): string {
	const iat = Math.floor(nowMs / 1000);
	const header = base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const payload = base64Url(JSON.stringify({ iat, exp: iat + 600, app: 'evolution', action: 'webhook' }));
	const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
	return `${header}.${payload}.${signature}`;
}
