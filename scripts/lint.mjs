// npm run lint: the verification scanner's rules on the sources it scans (package.json, nodes/**, credentials/**).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import glob from 'fast-glob';
import { SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';
import { report, scan } from './scan-config.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
let ok = report('scanner rules on the source', await scan(root, SOURCE_FILE_PATTERNS));

const disabled = glob
	.sync(['{nodes,credentials}/**/*'], { cwd: root })
	.filter((file) =>
		readFileSync(new URL(`../${file}`, import.meta.url), 'utf8').includes('eslint-disable'),
	);
if (disabled.length) {
	process.stdout.write(
		`eslint-disable comments (the scanner ignores them) in: ${disabled.join(', ')}\n`,
	);
	ok = false;
}
process.exit(ok ? 0 : 1);
