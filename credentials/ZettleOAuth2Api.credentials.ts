import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { environmentProperties } from './ZettleApi.credentials';

const oauthBase =
	'$self["environment"] === "custom" ? String($self["baseUrl"]).replace(/\\/+$/, "") : "https://oauth.zettle.com"';

/** Zettle partner app (authorization code grant). Zettle rotates the refresh token on every refresh. */
export class ZettleOAuth2Api implements ICredentialType {
	name = 'zettleOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Zettle OAuth2 API';

	icon: Icon = { light: 'file:zettle.svg', dark: 'file:zettle.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-zettle/n8n-nodes-zettle#credentials';

	properties: INodeProperties[] = [
		...environmentProperties,
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ (${oauthBase}) + "/authorize" }}`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ (${oauthBase}) + "/token" }}`,
		},
		// hidden: n8n discards a user-edited scope on custom OAuth2 credential types
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: 'READ:PRODUCT WRITE:PRODUCT' },
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		// Zettle takes client_id and client_secret in the form body
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
	];
}
