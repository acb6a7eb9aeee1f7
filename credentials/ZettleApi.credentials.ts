import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { clientIdFromApiKey, zettleHosts } from '../nodes/ZettleInventory/transport/hosts';

const API_KEY_PAGE =
	'https://my.zettle.com/apps/api-keys?name=n8n&scopes=READ:PRODUCT%20WRITE:PRODUCT';

export const environmentProperties: INodeProperties[] = [
	{
		displayName: 'Environment',
		name: 'environment',
		type: 'options',
		options: [
			{ name: 'Production (Zettle)', value: 'production' },
			{ name: 'Custom (e.g. the Local Zettle Sandbox)', value: 'custom' },
		],
		default: 'production',
		description:
			'Production uses oauth.zettle.com, inventory.izettle.com and products.izettle.com. Custom sends every request to one base URL, such as the sandbox this package ships.',
	},
	{
		displayName: 'Base URL',
		name: 'baseUrl',
		type: 'string',
		default: 'http://127.0.0.1:8791',
		placeholder: 'e.g. http://127.0.0.1:8791',
		description:
			'Where the custom Zettle endpoints are. Plain http:// is only allowed to a loopback host.',
		displayOptions: { show: { environment: ['custom'] } },
	},
];

/** What the token endpoint answered, read whole (status and body). */
interface TokenAnswer {
	statusCode: number;
	headers?: Record<string, string>;
	body: { access_token?: string; error?: string; error_description?: string };
}

/** The access token of the token endpoint's answer, or an error that says what to fix (never the key). */
function accessTokenOf(response: TokenAnswer): string {
	if (response.statusCode >= 300 && response.statusCode < 400) {
		throw new Error(
			`Zettle's token endpoint answered a redirect (${response.statusCode}); it was not followed, so the API key was not sent anywhere else. Zettle does not redirect token requests: check the Environment and Base URL of this credential.`,
		);
	}
	const body = typeof response.body === 'object' && response.body !== null ? response.body : {};
	if (response.statusCode === 200 && typeof body.access_token === 'string') {
		return body.access_token;
	}
	if (body.error === 'invalid_grant') {
		throw new Error(
			`Zettle rejected the API key (invalid_grant): it was revoked or is not valid. Create a new key at ${API_KEY_PAGE} and update this credential.`,
		);
	}
	if (body.error === 'invalid_client') {
		throw new Error(
			'Zettle rejected the client ID (invalid_client). Leave Client ID empty to use the one inside the API key.',
		);
	}
	throw new Error(
		`Zettle's token endpoint answered HTTP ${response.statusCode}${body.error ? ` (${body.error})` : ''}. Check the Environment and Base URL of this credential.`,
	);
}

/** Zettle API key of a self-hosted app, exchanged for an access token with the assertion grant. */
export class ZettleApi implements ICredentialType {
	name = 'zettleApi';

	displayName = 'Zettle API';

	icon: Icon = { light: 'file:zettle.svg', dark: 'file:zettle.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-zettle/n8n-nodes-zettle#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: `The API key of your Zettle account. Create one with the scopes READ:PRODUCT and WRITE:PRODUCT at ${API_KEY_PAGE}.`,
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			description:
				'Leave empty to use the client ID inside the API key. Set it to a partner app’s client ID to attribute usage to that app.',
		},
		...environmentProperties,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const hosts = zettleHosts(credentials);
		if ('error' in hosts) throw new Error(hosts.error);
		const apiKey = String(credentials.apiKey ?? '').trim();
		const clientId = String(credentials.clientId ?? '').trim() || clientIdFromApiKey(apiKey);
		if (!clientId) {
			throw new Error(
				`The Zettle API key is not a valid key (it carries no client ID). Create a new key at ${API_KEY_PAGE} and paste it whole.`,
			);
		}
		// full response and no status errors: a thrown HTTP error would carry the request body, i.e. the key
		const response = (await this.helpers
			.httpRequest({
				method: 'POST',
				url: `${hosts.oauth}/token`,
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					Accept: 'application/json',
				},
				body: new URLSearchParams({
					grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
					client_id: clientId,
					assertion: apiKey,
				}).toString(),
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// the key never follows a redirect: Zettle's token endpoint does not redirect
				disableFollowRedirect: true,
				json: true,
			})
			.catch(() => {
				// no error code in the message: n8n would replace the message, and the node would take
				// the code for its own request's network failure
				throw new Error(
					`Zettle's token endpoint at ${hosts.oauth} could not be reached, or the connection failed before it answered. No inventory request was sent; try again later.`,
				);
			})) as TokenAnswer;
		return { accessToken: accessTokenOf(response) };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://oauth.zettle.com"}}',
			url: '/users/self',
			disableFollowRedirect: true,
		},
	};
}
