// Zettle's OAuth service as the sandbox emulates it (docs/reference/zettle-api.md §1): API keys (JWTs) exchanged with the
// assertion grant, an authorization-code partner app with rotating refresh tokens, and access tokens.

import { createHmac, randomBytes, randomUUID } from 'node:crypto';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const DEFAULT_SCOPES = ['READ:PRODUCT', 'WRITE:PRODUCT'];

export interface AccessToken {
	organizationUuid: string;
	/** the API client the token was issued to (the API key's client ID, or the partner app's): webhooks name it as `clientUuid` */
	clientId: string;
	/** the user behind it */
	userUuid: string;
	scopes: string[];
	expiresAt: number;
	/** API requests made with it, for the "expire after N requests" fault */
	uses: number;
}

export interface PartnerApp {
	clientId: string;
	clientSecret: string;
	redirectUris?: string[];
}

/** RFC 6749 §5.2 error, answered as HTTP 400 (401 for invalid_client) with `{error, error_description}`. */
export class OAuthError extends Error {
	constructor(
		readonly error: string,
		readonly description: string,
	) {
		super(description);
	}
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** The claims an API key carries (the payload of its JWT), as `createApiKey` writes them. */
export interface ApiKeyClaims {
	iss: string;
	aud: string;
	sub: string;
	iat: number;
	scope: string[];
	user: { userType: string; uuid: string; orgUuid: string; userRole: string };
	type: string;
	clientId: string;
}

/** Decodes the claims of an API key, without verifying its signature. */
export function apiKeyClaims(apiKey: string): ApiKeyClaims {
	return JSON.parse(
		Buffer.from(apiKey.split('.')[1] ?? '', 'base64url').toString('utf8'),
	) as ApiKeyClaims;
}

export class OAuthService {
	readonly tokens = new Map<string, AccessToken>();
	private readonly revokedKeys = new Set<string>();
	private readonly codes = new Map<
		string,
		{ clientId: string; redirectUri: string; organizationUuid: string; scopes: string[] }
	>();
	private readonly refreshTokens = new Map<
		string,
		{ clientId: string; organizationUuid: string; scopes: string[] }
	>();
	private readonly secret = randomBytes(32);
	constructor(
		readonly partnerApp: PartnerApp,
		private readonly defaultOrganizationUuid: string,
		private readonly tokenTtlSeconds = 7200,
		/** the merchant who connected the partner app */
		private readonly partnerUserUuid: string = randomUUID(),
	) {}

	/** An API key like the ones my.zettle.com creates: a signed JWT whose payload carries `clientId`. */
	createApiKey(organizationUuid = this.defaultOrganizationUuid, scopes = DEFAULT_SCOPES): string {
		const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
		const payload = base64url(
			JSON.stringify({
				iss: 'https://oauth.zettle.com',
				aud: 'https://oauth.zettle.com',
				sub: randomUUID(),
				iat: Math.floor(Date.now() / 1000),
				scope: scopes,
				user: {
					userType: 'USER',
					uuid: randomUUID(),
					orgUuid: organizationUuid,
					userRole: 'OWNER',
				},
				type: 'user-assertion',
				clientId: randomUUID(),
			}),
		);
		return `${header}.${payload}.${this.sign(`${header}.${payload}`)}`;
	}

	revokeApiKey(apiKey: string): void {
		this.revokedKeys.add(apiKey);
	}

	/** Handles POST /token for the three grants Zettle supports. */
	token(
		form: URLSearchParams,
		basicAuth?: { id: string; secret: string },
	): Record<string, unknown> {
		const grantType = form.get('grant_type');
		if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
		if (grantType === JWT_BEARER_GRANT) return this.assertionGrant(form);
		if (grantType === 'authorization_code' || grantType === 'refresh_token') {
			const clientId = form.get('client_id') ?? basicAuth?.id;
			const clientSecret = form.get('client_secret') ?? basicAuth?.secret;
			if (clientId !== this.partnerApp.clientId || clientSecret !== this.partnerApp.clientSecret) {
				throw new OAuthError('invalid_client', 'unknown client or wrong client secret');
			}
			return grantType === 'authorization_code'
				? this.codeGrant(form, clientId)
				: this.refreshGrant(form, clientId);
		}
		throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
	}

	/** GET /authorize: the merchant approves at once (there is no one to click), redirect with a code. */
	authorize(query: URLSearchParams): string {
		const clientId = query.get('client_id');
		const redirectUri = query.get('redirect_uri');
		if (query.get('response_type') !== 'code')
			throw new OAuthError('unsupported_response_type', 'response_type must be code');
		if (clientId !== this.partnerApp.clientId)
			throw new OAuthError('invalid_client', 'unknown client_id');
		if (!redirectUri) throw new OAuthError('invalid_request', 'redirect_uri is required');
		if (this.partnerApp.redirectUris && !this.partnerApp.redirectUris.includes(redirectUri)) {
			throw new OAuthError('invalid_request', 'redirect_uri is not registered for this app');
		}
		const code = randomBytes(16).toString('hex');
		const scopes = (query.get('scope') ?? DEFAULT_SCOPES.join(' ')).split(/[ +]/).filter(Boolean);
		this.codes.set(code, {
			clientId,
			redirectUri,
			organizationUuid: this.defaultOrganizationUuid,
			scopes,
		});
		const target = new URL(redirectUri);
		target.searchParams.set('code', code);
		const state = query.get('state');
		if (state !== null) target.searchParams.set('state', state);
		return target.toString();
	}

	/** The token's record when it is valid, 'expired' or undefined (unknown). */
	check(accessToken: string, now = Date.now()): AccessToken | 'expired' | undefined {
		const token = this.tokens.get(accessToken);
		if (!token) return undefined;
		return token.expiresAt <= now ? 'expired' : token;
	}

	expire(accessToken: string): void {
		const token = this.tokens.get(accessToken);
		if (token) token.expiresAt = 0;
	}

	private assertionGrant(form: URLSearchParams): Record<string, unknown> {
		const assertion = form.get('assertion');
		const clientId = form.get('client_id');
		if (!assertion) throw new OAuthError('invalid_request', 'assertion is required');
		if (!clientId) throw new OAuthError('invalid_request', 'client_id is required');
		const payload = this.verifyApiKey(assertion);
		if (payload.clientId !== clientId && clientId !== this.partnerApp.clientId) {
			throw new OAuthError('invalid_client', 'client_id does not belong to this API key');
		}
		return this.issue(payload.user.orgUuid, payload.scope, false, clientId, payload.user.uuid);
	}

	private codeGrant(form: URLSearchParams, clientId: string): Record<string, unknown> {
		const code = form.get('code') ?? '';
		const grant = this.codes.get(code);
		this.codes.delete(code); // single use
		if (!grant || grant.clientId !== clientId)
			throw new OAuthError('invalid_grant', 'invalid or used authorization code');
		if (form.get('redirect_uri') !== grant.redirectUri)
			throw new OAuthError('invalid_grant', 'redirect_uri does not match');
		return this.issue(grant.organizationUuid, grant.scopes, true, clientId, this.partnerUserUuid);
	}

	private refreshGrant(form: URLSearchParams, clientId: string): Record<string, unknown> {
		const refreshToken = form.get('refresh_token') ?? '';
		const grant = this.refreshTokens.get(refreshToken);
		if (!grant || grant.clientId !== clientId)
			throw new OAuthError('invalid_grant', 'invalid refresh_token');
		this.refreshTokens.delete(refreshToken); // rotation: a refresh token works once
		return this.issue(grant.organizationUuid, grant.scopes, true, clientId, this.partnerUserUuid);
	}

	private issue(
		organizationUuid: string,
		scopes: string[],
		withRefresh: boolean,
		clientId: string,
		userUuid: string,
	) {
		const accessToken = randomBytes(24).toString('base64url');
		this.tokens.set(accessToken, {
			organizationUuid,
			clientId,
			userUuid,
			scopes,
			expiresAt: Date.now() + this.tokenTtlSeconds * 1000,
			uses: 0,
		});
		const body: Record<string, unknown> = {
			access_token: accessToken,
			expires_in: this.tokenTtlSeconds,
		};
		if (withRefresh) {
			const refreshToken = `IZSEC${randomUUID()}`;
			this.refreshTokens.set(refreshToken, { clientId, organizationUuid, scopes });
			body.refresh_token = refreshToken;
		}
		return body;
	}

	private verifyApiKey(apiKey: string): ApiKeyClaims {
		const parts = apiKey.split('.');
		if (parts.length !== 3 || this.sign(`${parts[0]}.${parts[1]}`) !== parts[2]) {
			throw new OAuthError('invalid_grant', 'the assertion is not a valid API key');
		}
		if (this.revokedKeys.has(apiKey))
			throw new OAuthError('invalid_grant', 'the API key has been revoked');
		return apiKeyClaims(apiKey);
	}

	private sign(data: string): string {
		return createHmac('sha256', this.secret).update(data).digest('base64url');
	}
}
