// `npm run sandbox:sale -- --sku TSHIRT-S [--quantity 2] [--url http://127.0.0.1:8791]`: a sale at the till in a
// running sandbox (its admin endpoint POST /__sandbox/sale). The sale moves STORE → SOLD as Zettle's POS app does
// and is delivered to the webhook subscriptions (InventoryBalanceChanged, PurchaseCreated).

import { parseArgs } from 'node:util';

async function main() {
	const { values } = parseArgs({
		options: {
			url: { type: 'string', default: 'http://127.0.0.1:8791' },
			sku: { type: 'string' },
			variant: { type: 'string' },
			quantity: { type: 'string', default: '1' },
			help: { type: 'boolean' },
		},
	});
	if (values.help || (!values.sku && !values.variant)) {
		process.stdout.write(
			'Usage: npm run sandbox:sale -- --sku SKU | --variant VARIANT_UUID [--quantity N] [--url http://127.0.0.1:8791]\n',
		);
		process.exitCode = values.help ? 0 : 1;
		return;
	}
	const response = await fetch(`${values.url}/__sandbox/sale`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			sku: values.sku,
			variantUuid: values.variant,
			quantity: Number(values.quantity),
		}),
	});
	const body = (await response.json()) as { storeBalance?: number; developerMessage?: string };
	if (!response.ok)
		throw new Error(body.developerMessage ?? `the sandbox answered ${response.status}`);
	process.stdout.write(
		`Sold ${values.quantity} × ${values.sku ?? values.variant} at the till; STORE balance now ${body.storeBalance}. Webhook subscriptions get it as InventoryBalanceChanged.\n`,
	);
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).message}\n`);
	process.exitCode = 1;
});
