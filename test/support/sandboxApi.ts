// Talking to the sandbox over HTTP the way any Zettle client would, without the node: a token for an
// API key, then API requests with it. For the tests of the sandbox itself.

import { apiKeyClaims, JWT_BEARER_GRANT } from '../../sandbox/oauth';
import type { Sandbox } from '../../sandbox/server';

/** A request with a form body, as the token endpoint takes it. */
export const form = (fields: Record<string, string>): RequestInit => ({
	method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded' },
	body: new URLSearchParams(fields),
});

/** The sandbox's answer to an API request; the body loosely typed, as tests pick fields out of it. */
export interface Answer {
	status: number;
	headers: Headers;
	body: any;
}

/** The JSON of an answer, loosely typed. */
export const json = async (res: Response): Promise<any> => await res.json();

/** An access token for an API key (the sandbox's own by default), by the assertion grant. */
export async function accessToken(sandbox: Sandbox, apiKey = sandbox.apiKey): Promise<string> {
	const res = await fetch(
		`${sandbox.url}/token`,
		form({
			grant_type: JWT_BEARER_GRANT,
			client_id: apiKeyClaims(apiKey).clientId,
			assertion: apiKey,
		}),
	);
	return ((await json(res)) as { access_token: string }).access_token;
}

/** A JSON request to the sandbox's API with a fresh token; `raw` sends text as it is instead of `body`. */
export async function api(
	sandbox: Sandbox,
	method: string,
	path: string,
	body?: unknown,
	raw?: string,
	apiKey = sandbox.apiKey,
): Promise<Answer> {
	const res = await fetch(`${sandbox.url}${path}`, {
		method,
		headers: {
			authorization: `Bearer ${await accessToken(sandbox, apiKey)}`,
			'content-type': 'application/json',
		},
		body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
