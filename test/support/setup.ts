import { join } from 'node:path';

// n8n-core's InstanceSettings writes <N8N_USER_FOLDER>/.n8n/config on first use; keep it out of $HOME
process.env.N8N_USER_FOLDER ??= join(__dirname, '..', '..', '.n8n-test');
// n8n's logger would print every reported node error with its stack
process.env.N8N_LOG_LEVEL ??= 'silent';
