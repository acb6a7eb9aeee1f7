import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** Where the Zettle services live for one credential. */
export interface ZettleHosts {
	oauth: string;
	inventory: string;
	products: string;
	/** the Pusher (webhook subscriptions) API */
	pusher: string;
}

export const PRODUCTION_HOSTS: ZettleHosts = {
	oauth: 'https://oauth.zettle.com',
	inventory: 'https://inventory.izettle.com',
	products: 'https://products.izettle.com',
	pusher: 'https://pusher.izettle.com',
};

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The hosts a credential points at: Zettle's production hosts, or one custom base URL (the local
 * sandbox serves every service on one origin). Refuses to send keys or tokens over plain
 * http:// unless the host is loopback. Returns an error message instead of throwing, so callers can
 * raise the error type their context allows.
 */
export function zettleHosts(
	credentials: ICredentialDataDecryptedObject,
): ZettleHosts | { error: string } {
	if (credentials.environment !== 'custom') return PRODUCTION_HOSTS;
	const raw = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		// echoed only when it cannot carry a password
		const shown = raw.includes('@') ? '' : ` "${raw}"`;
		return {
			error: `The credential's Base URL${shown} is not a URL. Use e.g. http://127.0.0.1:8791 for the sandbox.`,
		};
	}
	if (url.username || url.password) {
		return {
			error: `The credential's Base URL must not contain a user name or password (${url.protocol}//…@${url.host}). Zettle authenticates with the API key or OAuth2 token alone.`,
		};
	}
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
		return {
			error: `The credential's Base URL ${raw} is not HTTPS. Keys and tokens are only sent over plain http:// to a loopback host (localhost, 127.x.x.x, [::1]).`,
		};
	}
	return { oauth: raw, inventory: raw, products: raw, pusher: raw };
}

/** Reads the `clientId` claim of a Zettle API key (a JWT), without verifying it: Zettle does that. */
export function clientIdFromApiKey(apiKey: string): string | undefined {
	const payload = apiKey.split('.')[1];
	if (!payload) return undefined;
	try {
		const claims = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as {
			clientId?: unknown;
		};
		return typeof claims.clientId === 'string' ? claims.clientId : undefined;
	} catch {
		return undefined;
	}
}
