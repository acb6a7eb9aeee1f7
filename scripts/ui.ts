/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// npm run test:ui: the node in n8n's editor, in a real browser, as a new user meets it. Debian's
// Chromium (installed with apt-get when missing), driven headless by playwright-core, against the
// n8n that `npm run dev` starts (startDev(), here with a new user folder and free ports) with the
// Zettle sandbox. Every step leaves a screenshot in a folder the run names; a few of them are copied
// to docs/screenshots/ for the README.
//
//   UI_SCREENSHOTS=/some/folder   where the screenshots go (default: a new folder in the temp dir)

import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { NodeHelpers } from 'n8n-workflow';
import type { INodeParameters, INodeTypeDescription } from 'n8n-workflow';

import { SEED } from '../sandbox/seed';
import { Dev, startDev } from './dev';
import { freePort, ROOT } from './n8n-host';
import { ensureDebianPackages } from './system';

const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 800 };
const OWNER = {
	email: 'owner@example.com',
	firstName: 'Olivia',
	lastName: 'Owner',
	password: 'Zettle-ui-1234',
};
const SEED_WORKFLOW = 'Zettle: update balance (the seed example)';
const CSV_WORKFLOW = 'Zettle: sync stock levels from a webshop CSV by SKU';
const DOCS = join(ROOT, 'docs', 'screenshots');

/** The node's description as the packed package has it (dist/, built by startDev). */
function nodeDescription(): INodeTypeDescription {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { ZettleInventory } = require(
		join(ROOT, 'dist', 'nodes', 'ZettleInventory', 'ZettleInventory.node.js'),
	);
	return new ZettleInventory().description;
}

/** The labels the editor should show for a node with these parameters: n8n's own display rules, credentials first. */
function expectedLabels(description: INodeTypeDescription, parameters: INodeParameters): string[] {
	const node = { typeVersion: 1, parameters };
	const values = NodeHelpers.getNodeParameters(
		description.properties,
		parameters,
		true,
		false,
		node,
		description,
	)!;
	// the editor shows the parameter that picks the credential type inside "Credential to connect with"
	const mainAuth = description.properties.find((p) => p.name === 'authentication');
	const shown = description.properties
		.filter((p) => p !== mainAuth && NodeHelpers.displayParameter(values, p, node, description))
		.map((p) => p.displayName);
	return ['Credential to connect with', ...shown];
}

/** Every action the node creator should list: each operation's `action`, by resource. */
function expectedActions(description: INodeTypeDescription): string[] {
	return description.properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) => (p.options as Array<{ action?: string }>).map((o) => o.action!))
		.sort();
}

/** The labels the open node details view shows, in order. */
async function shownLabels(page: Page): Promise<string[]> {
	const params = page.locator('[data-test-id=node-parameters]');
	await params.waitFor();
	return await params.evaluate((root) =>
		[
			...root.querySelectorAll(
				'[data-test-id=credentials-label], [data-test-id=parameter-item] [data-test-id=input-label] label, [data-test-id=parameter-item] > div > .title, [data-test-id=parameter-item] [data-test-id=input-label]',
			),
		]
			.filter((e) => (e as HTMLElement).offsetParent !== null)
			.map((e) => {
				const label = e.querySelector('label') ?? e;
				return (label as HTMLElement).innerText
					.split('\n')[0]
					.replace(/\s*\*$/, '')
					.trim();
			})
			// the Fixed / Expression toggle of the hovered parameter is a label too
			.filter(
				(text, i, all) =>
					text && text !== 'Fixed' && text !== 'Expression' && all.indexOf(text) === i,
			),
	);
}

/** The output panel's table: header and rows of cell texts. */
async function outputTable(page: Page): Promise<{ header: string[]; rows: string[][] }> {
	const panel = page.locator('[data-test-id=output-panel]');
	await panel.locator('[data-test-id=radio-button-table]').click();
	const table = panel.locator('table').first();
	await table.waitFor();
	return await table.evaluate((t) => ({
		header: [...t.querySelectorAll('thead th')].map((th) => (th as HTMLElement).innerText.trim()),
		rows: [...t.querySelectorAll('tbody tr')].map((tr) =>
			[...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim()),
		),
	}));
}

const column = (table: { header: string[]; rows: string[][] }, name: string) => {
	const index = table.header.indexOf(name);
	ok(index >= 0, `the output table has a column "${name}" (columns: ${table.header.join(', ')})`);
	return table.rows.map((row) => row[index]);
};

async function openWorkflowFromList(page: Page, url: string, name: string) {
	await page.goto(`${url}/home/workflows`);
	await page.locator('[data-test-id=workflow-card-name]').getByText(name, { exact: true }).click();
	await page.locator('[data-test-id=canvas-node]').first().waitFor();
}

async function openNode(page: Page, name: string): Promise<Locator> {
	await page.locator('[data-test-id=canvas-node]', { hasText: name }).first().dblclick();
	const ndv = page.locator('[data-test-id=ndv]');
	await ndv.waitFor();
	return ndv;
}

async function closeNode(page: Page) {
	await page.locator('[data-test-id=ndv-close-button]').click();
	await page.locator('[data-test-id=ndv]').waitFor({ state: 'hidden' });
}

/** Clicks "Execute workflow" and waits for n8n to say it ran. */
async function executeWorkflow(page: Page, lastNode: string) {
	await page.locator('[data-test-id=execute-workflow-button]').click();
	await page
		.locator('[data-test-id=canvas-node]', { hasText: lastNode })
		.locator('[data-test-id=canvas-node-status-success]')
		.waitFor({ timeout: 120_000 });
}

// One function on purpose: the steps a new user takes, in order, each a `step(...)` with its own short body;
// split up, the story would have to be read across files.
async function main() {
	const started = Date.now();
	const say = (line: string) => process.stdout.write(`${line}\n`);
	let passed = 0;
	let failed = 0;

	await ensureDebianPackages(['chromium'], [CHROMIUM], say);
	const shots =
		process.env.UI_SCREENSHOTS ??
		join(tmpdir(), `zettle-ui-${new Date().toISOString().replace(/[:.]/g, '-')}`);
	mkdirSync(shots, { recursive: true });
	say(`screenshots of every step: ${shots}`);
	const work = mkdtempSync(join(tmpdir(), 'zettle-ui-n8n-'));

	let dev: Dev | undefined;
	let context: BrowserContext | undefined;
	const cleanup = async () => {
		await context?.close().catch(() => undefined);
		context = undefined;
		await dev?.stop();
		dev = undefined;
		rmSync(work, { recursive: true, force: true });
	};
	const onSignal = () => void cleanup().finally(() => process.exit(1));
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	try {
		dev = await startDev({
			userFolder: join(work, 'user-folder'),
			port: await freePort(),
			sandboxPort: 0,
			logFile: join(shots, 'n8n.log'),
			env: { N8N_LISTEN_ADDRESS: '127.0.0.1' },
			log: say,
		});
		const t = Date.now();
		await dev.ready();
		const url = dev.url.replace('localhost', '127.0.0.1');
		say(
			`n8n ${dev.host.version} (npm run dev's setup, new user folder) ready on ${url} in ${((Date.now() - t) / 1000).toFixed(0)} s; sandbox on ${dev.sandbox.url}`,
		);
		const sandbox = dev.sandbox;
		const description = nodeDescription();

		context = await chromium.launchPersistentContext(join(work, 'chromium-profile'), {
			executablePath: CHROMIUM,
			headless: true,
			viewport: VIEWPORT,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
		});
		const page = context.pages()[0] ?? (await context.newPage());
		page.setDefaultTimeout(60_000);
		const version =
			context.browser()?.version() ??
			(await page.evaluate(() => navigator.userAgent)).replace(/.*Chrome\/(\S+).*/, '$1');
		say(`Chromium ${version} (${CHROMIUM}), headless, ${VIEWPORT.width}×${VIEWPORT.height}`);

		let shot = 0;
		const screenshot = async (name: string) => {
			const file = join(shots, `${String(++shot).padStart(2, '0')}-${name}.png`);
			await page.screenshot({ path: file });
			return file;
		};
		const step = async (
			title: string,
			name: string,
			body: () => Promise<string | void>,
		): Promise<string | undefined> => {
			const t = Date.now();
			try {
				const detail = await body();
				const file = await screenshot(name);
				passed++;
				say(
					`✓ ${title}${detail ? `: ${detail}` : ''} (${((Date.now() - t) / 1000).toFixed(1)} s) → ${file}`,
				);
				return file;
			} catch (error) {
				const file = await screenshot(`${name}-FAILED`).catch(() => '(no screenshot)');
				failed++;
				say(`✗ ${title}: ${(error as Error).message} → ${file}`);
				return undefined;
			}
		};
		const docs: Array<[string | undefined, string]> = [];

		await step('sign up the owner', 'overview', async () => {
			await page.goto(`${url}/`);
			await page.waitForURL(/\/setup/);
			await page.fill('input[name=email]', OWNER.email);
			await page.fill('input[name=firstName]', OWNER.firstName);
			await page.fill('input[name=lastName]', OWNER.lastName);
			await page.fill('input[name=password]', OWNER.password);
			await screenshot('owner-setup');
			await page.locator('[data-test-id=form-submit-button]').click();
			await page.waitForURL(/\/home\/workflows/);
			await page.locator('[data-test-id=workflow-card-name]').first().waitFor();
			const names = await page.locator('[data-test-id=workflow-card-name]').allInnerTexts();
			ok(
				names.includes(SEED_WORKFLOW) && names.includes(CSV_WORKFLOW),
				`the examples are listed: ${names.join(', ')}`,
			);
			return `${names.filter((n) => n.startsWith('Zettle: ')).length} "Zettle: …" workflows listed`;
		});

		await step(`open the example "${SEED_WORKFLOW}"`, 'seed-example', async () => {
			await openWorkflowFromList(page, url, SEED_WORKFLOW);
			const nodes = await page.locator('[data-test-id=canvas-node]').count();
			strictEqual(nodes, 3);
			return '3 nodes on the canvas';
		});
		await step('type "zettle" in the node creator', 'node-creator-search', async () => {
			await page.locator('[data-test-id=node-creator-plus-button]').click();
			await page.locator('[data-test-id=node-creator-search-bar]').fill('zettle');
			await page
				.locator('[data-test-id=item-iterator-item]', { hasText: 'Zettle Inventory' })
				.first()
				.waitFor();
			await page.waitForTimeout(500); // the panel slides in
			const items = await page
				.locator('[data-test-id=node-creator-item-name]:visible')
				.allInnerTexts();
			// n8n lists a trigger under its app's name: "Zettle" is the Zettle Trigger
			deepStrictEqual(items, ['Zettle', 'Zettle Inventory']);
			return 'two results: Zettle (the trigger) and Zettle Inventory';
		});
		const actionsShot = await step('see its actions listed', 'node-creator-actions', async () => {
			await page
				.locator('[data-test-id=item-iterator-item]', { hasText: 'Zettle Inventory' })
				.first()
				.click();
			await page
				.locator('[data-test-id=node-creator-category-item]', { hasText: 'Actions' })
				.waitFor();
			await page.waitForTimeout(500);
			const actions = (
				await page
					.locator(
						'[data-test-id=item-iterator-item] [data-test-id=node-creator-item-name]:visible',
					)
					.allInnerTexts()
			).sort();
			deepStrictEqual(actions, expectedActions(description));
			return `${actions.length} actions: ${actions.join(', ')}`;
		});
		docs.push([actionsShot, 'node-creator.png']);
		await page.keyboard.press('Escape');

		await step(
			'in a new workflow, add "Get many balances" from the node creator: its parameters, the credential chosen',
			'get-many-balances',
			async () => {
				await page.goto(`${url}/home/workflows`);
				await page.locator('[data-test-id=add-resource-workflow]').click();
				await page.waitForURL(/\/workflow\//);
				await page.locator('[data-test-id=node-creator-plus-button]').click();
				await page.locator('[data-test-id=node-creator-search-bar]').fill('zettle');
				await page
					.locator('[data-test-id=item-iterator-item]', { hasText: 'Zettle Inventory' })
					.first()
					.click();
				await page
					.locator('[data-test-id=item-iterator-item]', { hasText: 'Get many balances' })
					.first()
					.click();
				await page.locator('[data-test-id=ndv]').waitFor();
				const labels = await shownLabels(page);
				deepStrictEqual(
					labels,
					expectedLabels(description, { resource: 'balance', operation: 'getAll' }),
				);
				const credential = await page
					.locator('[data-test-id=node-credentials-select] input')
					.inputValue();
				strictEqual(credential, 'Zettle sandbox', 'the only Zettle credential is chosen');
				return labels.join(', ');
			},
		);
		await step('pick a location from the list: search "sup"', 'location-search', async () => {
			const item = page.locator('[data-test-id=parameter-item]', {
				has: page.locator('[data-test-id=resource-locator-location]'),
			});
			await item.locator('[data-test-id=rlc-mode-selector]').click();
			await page.locator('[data-test-id=mode-list]:visible').click();
			await item.locator('[data-test-id=rlc-input]').click();
			await page.locator('[data-test-id=rlc-item]').first().waitFor();
			const all = await page.locator('[data-test-id=rlc-item]:visible').allInnerTexts();
			deepStrictEqual(all, ['STORE', 'BIN', 'SUPPLIER', 'SOLD'], "the organization's locations");
			await page.locator('[data-test-id=rlc-search]:visible').fill('sup');
			await page.waitForFunction(
				() =>
					[...document.querySelectorAll('[data-test-id=rlc-item]')].filter(
						(e) => (e as HTMLElement).offsetParent !== null,
					).length === 1,
			);
			deepStrictEqual(await page.locator('[data-test-id=rlc-item]:visible').allInnerTexts(), [
				'SUPPLIER',
			]);
			// a node placed today (version 2) reads Inventory API V3's inventories
			const searches = sandbox.requests.filter((r) => r.path === '/v3/inventories');
			ok(searches.length > 0, 'the list came from the sandbox (V3 inventories)');
			return 'STORE, BIN, SUPPLIER, SOLD; "sup" leaves SUPPLIER';
		});
		await step('choose SUPPLIER', 'location-picked', async () => {
			await page.locator('[data-test-id=rlc-item]:visible', { hasText: 'SUPPLIER' }).click();
			const item = page.locator('[data-test-id=parameter-item]', {
				has: page.locator('[data-test-id=resource-locator-location]'),
			});
			strictEqual(await item.locator('[data-test-id=rlc-input]').inputValue(), 'SUPPLIER');
			return 'Location: From list, SUPPLIER';
		});

		const parametersShot = await step(
			'open Zettle Inventory: every parameter renders',
			'parameters',
			async () => {
				await openWorkflowFromList(page, url, SEED_WORKFLOW);
				await openNode(page, 'Zettle Inventory');
				const labels = await shownLabels(page);
				deepStrictEqual(
					labels,
					expectedLabels(description, { resource: 'balance', operation: 'updateBalance' }),
				);
				const issues = await page
					.locator('[data-test-id=node-parameters] [data-test-id=parameter-issues]')
					.count();
				strictEqual(issues, 0, 'no parameter shows an issue');
				return labels.join(', ');
			},
		);
		docs.push([parametersShot, 'parameters.png']);

		await step('open the credential, test it: success', 'credential-tested', async () => {
			await page.locator('[data-test-id=credential-edit-button]').click();
			const dialog = page.locator('[data-test-id=credential-edit-dialog]');
			await dialog.waitFor();
			strictEqual(
				(await page.locator('[data-test-id=credential-name]').innerText()).trim(),
				'Zettle sandbox',
			);
			const success = dialog.locator('[data-test-id=credentials-config-container-test-success]');
			await success.waitFor(); // n8n tests a credential when it opens
			const before = sandbox.requests.filter((r) => r.path === '/users/self').length;
			await success.getByRole('button', { name: 'Retry' }).click();
			const deadline = Date.now() + 30_000;
			while (
				sandbox.requests.filter((r) => r.path === '/users/self').length === before &&
				Date.now() < deadline
			)
				await page.waitForTimeout(200);
			await success.waitFor();
			const selfChecks = sandbox.requests.filter((r) => r.path === '/users/self');
			ok(selfChecks.length > before, 'the test called GET /users/self on the sandbox');
			strictEqual(selfChecks[selfChecks.length - 1].status, 200);
			return `"${(await success.innerText()).split('\n')[0].trim()}" (GET /users/self answered ${selfChecks[selfChecks.length - 1].status})`;
		});
		await page.keyboard.press('Escape');
		await page
			.locator('[data-test-id=credential-edit-dialog]')
			.waitFor({ state: 'hidden' })
			.catch(() => undefined);

		const outputShot = await step(
			'execute the workflow: the output table shows balances 196 and 10696',
			'seed-output',
			async () => {
				if (await page.locator('[data-test-id=ndv]').isVisible()) await closeNode(page);
				sandbox.reset();
				await executeWorkflow(page, 'Zettle Inventory');
				await openNode(page, 'Zettle Inventory');
				const table = await outputTable(page);
				deepStrictEqual(column(table, 'balance'), ['196', '10696']);
				deepStrictEqual(column(table, 'variantUuid'), [SEED.tshirt.small, SEED.tshirt.medium]);
				const undefinedCells = table.rows.flat().filter((c) => c === 'undefined').length;
				strictEqual(undefinedCells, 0, 'no cell shows undefined');
				deepStrictEqual(
					[
						sandbox.seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.small),
						sandbox.seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.medium),
					],
					[196, 10696],
				);
				return `columns ${table.header.join(', ')}; balance 196, 10696`;
			},
		);
		docs.push([outputShot, 'output-table.png']);

		await step(`run "${CSV_WORKFLOW}": its table, no cell "undefined"`, 'csv-output', async () => {
			await openWorkflowFromList(page, url, CSV_WORKFLOW);
			sandbox.reset();
			await executeWorkflow(page, 'Set Zettle stock levels');
			await openNode(page, 'Set Zettle stock levels');
			const table = await outputTable(page);
			deepStrictEqual(column(table, 'sku'), ['TSHIRT-S', 'TSHIRT-M', 'CAP-1', 'MUG-WHITE']);
			deepStrictEqual(column(table, 'after'), ['250', '12000', '5', '240']);
			deepStrictEqual(column(table, 'moved'), ['12', '-33', '0', '2']);
			const undefinedCells = table.rows
				.flatMap((row, r) =>
					row.map((cell, c) =>
						cell === 'undefined' ? `${table.header[c]} of ${column(table, 'sku')[r]}` : undefined,
					),
				)
				.filter(Boolean);
			ok(
				undefinedCells.length === 0,
				`cells showing "undefined": ${undefinedCells.join('; ')}. n8n's table shows "undefined" where an item lacks a key that other items have: ` +
					'the node leaves the key out instead of emitting null (Set Stock Level: nodes/ZettleInventory/actions/balance/setStockLevel.operation.ts)',
			);
			return `${table.rows.length} rows, columns ${table.header.join(', ')}`;
		});

		mkdirSync(DOCS, { recursive: true });
		for (const [file, name] of docs) {
			if (file) copyFileSync(file, join(DOCS, name));
		}
		say(
			`README screenshots: ${docs
				.filter(([file]) => file)
				.map(([, name]) => `docs/screenshots/${name}`)
				.join(', ')}${
				docs.some(([file]) => !file)
					? ` (not updated: ${docs
							.filter(([file]) => !file)
							.map(([, name]) => name)
							.join(', ')})`
					: ''
			}`,
		);
	} catch (error) {
		failed++;
		say(`✗ ${(error as Error).stack ?? error}`);
	} finally {
		await cleanup();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
	say(
		`the editor in Chromium: ${((Date.now() - started) / 1000).toFixed(0)} s in all; screenshots in ${shots}`,
	);
	say(`${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
	process.stderr.write(`${String(error?.stack ?? error)}\n`);
	process.exitCode = 1;
});
