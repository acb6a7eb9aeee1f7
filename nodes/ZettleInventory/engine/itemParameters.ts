import type { IExecuteFunctions, IGetNodeParameterOptions, INodeExecutionData } from 'n8n-workflow';

/** `{{ $json.field }}`, `{{ $json["field"] }}` or `{{ $json['field'] }}`, and nothing else. */
const JSON_FIELD = /^=\{\{\s*\$json(?:\.([A-Za-z_$][\w$]*)|\[\s*(["'])([^"'\\]+)\2\s*\])\s*\}\}$/;

/** The item field a raw parameter value reads, when the whole value is one `$json` field. */
export function jsonFieldOf(raw: unknown): string | undefined {
	const text =
		typeof raw === 'object' && raw !== null && 'value' in raw
			? (raw as { value: unknown }).value
			: raw;
	if (typeof text !== 'string') return undefined;
	const match = JSON_FIELD.exec(text.trim());
	return match ? (match[1] ?? match[3]) : undefined;
}

/**
 * Reads per-item parameters. A parameter whose whole value is one `$json` field (every default of
 * this node is) is read from the input item itself: the value n8n's expression would give, without
 * evaluating an expression per item.
 *
 * Why: `getNodeParameter` evaluates an expression per item and parameter, about 40 µs each in
 * n8n 2.8 (measured with the benchmark, bench/RESULTS.md): 2.4 s of CPU for 10,000 items × 6
 * parameters, against about 0.25 s this way. Any other value, constants and expressions alike
 * (`{{ $json.a.b }}`, `{{ $('Other').item… }}`), still goes through getNodeParameter, so the
 * result is the same as n8n's in every case (tested in test/engine/itemParameters.test.ts).
 */
export type ItemParameter = (
	name: string,
	item: number,
	fallback: unknown,
	options?: IGetNodeParameterOptions,
) => unknown;

export function itemParameters(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
): ItemParameter {
	const node = context.getNode();
	const fields = new Map<string, string | undefined>();
	return (
		name: string,
		item: number,
		fallback: unknown,
		options?: IGetNodeParameterOptions,
	): unknown => {
		if (!fields.has(name)) fields.set(name, jsonFieldOf(node.parameters[name]));
		const field = fields.get(name);
		if (field === undefined) return context.getNodeParameter(name, item, fallback, options);
		const value = items[item]?.json[field];
		return value === undefined ? fallback : value;
	};
}
