// Deterministic randomness for the sandbox: fault injection and generated catalogues repeat with a seed.

/** mulberry32: a small, well-known 32-bit PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A UUID of version 1's shape (Zettle's own ids are v1), drawn from `random`. */
export function uuidV1Like(random: () => number): string {
	const hex = (n: number) =>
		Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
	const variant = '89ab'[Math.floor(random() * 4)];
	return `${hex(8)}-${hex(4)}-1${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}
