// Per-item parameters (engine/itemParameters.ts): which parameter values are exactly one $json field, read straight from the item.

import { jsonFieldOf } from '../../nodes/ZettleInventory/engine/itemParameters';

describe('per-item parameters', () => {
	it('recognises a parameter that is exactly one $json field, and nothing more', () => {
		expect(jsonFieldOf('={{ $json.change }}')).toBe('change');
		expect(jsonFieldOf('={{$json["unit count"]}}')).toBe('unit count');
		expect(jsonFieldOf({ __rl: true, mode: 'id', value: "={{ $json['fromLocationUuid'] }}" })).toBe(
			'fromLocationUuid',
		);
		expect(jsonFieldOf('={{ $json.change * 2 }}')).toBeUndefined();
		expect(jsonFieldOf('={{ $json.a.b }}')).toBeUndefined();
		expect(jsonFieldOf('={{ $("Other").item.json.change }}')).toBeUndefined();
		expect(jsonFieldOf('$json.change')).toBeUndefined(); // a constant, not an expression
		expect(jsonFieldOf(42)).toBeUndefined();
	});
});
