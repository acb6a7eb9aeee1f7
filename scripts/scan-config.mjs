// The lint n8n's verification scanner (@n8n/scan-community-package) applies, run on this checkout.
// We import the scanner's own config builder, so the rules, overrides and parser are exactly the
// gate's, and lint with inline config off (the gate ignores eslint-disable comments too).
// Unlike the gate, warnings count as failures here.

import { ESLint } from 'eslint';
import glob from 'fast-glob';
import { buildScanConfig } from '@n8n/scan-community-package/scanner/scanner.mjs';

export async function scan(cwd, patterns) {
	const eslint = new ESLint({
		cwd,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
	});
	const files = glob.sync(patterns, {
		cwd,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((n, r) => n + r.errorCount, 0);
	const warnings = results.reduce((n, r) => n + r.warningCount, 0);
	const formatted = await (await eslint.loadFormatter('stylish')).format(results);
	return { files: files.length, errors, warnings, formatted };
}

export function report(label, { files, errors, warnings, formatted }) {
	if (formatted.trim()) process.stdout.write(formatted);
	process.stdout.write(`${label}: ${files} files, ${errors} errors, ${warnings} warnings\n`);
	return errors === 0 && warnings === 0 && files > 0;
}
