// npm run lint:pack: pack the package as it would be published and lint the tarball the way the
// verification scanner does (its compiled **/*.js and package.json). Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report, scan } from './scan-config.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'n8n-nodes-zettle-pack-'));
try {
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: root,
			encoding: 'utf8',
		}),
	);
	process.stdout.write(
		`packed ${packed.filename}: ${packed.entryCount} files, ${packed.size} bytes\n`,
	);
	const unpacked = join(work, 'package');
	execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work]);
	const ok = report(
		'scanner rules on the packed tarball',
		await scan(unpacked, ['**/*.js', 'package.json']),
	);
	process.exitCode = ok ? 0 : 1;
} finally {
	rmSync(work, { recursive: true, force: true });
}
