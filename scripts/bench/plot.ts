// A small SVG line chart, written by hand (no plotting dependency): log-scaled N on x, one or more
// series on y, one panel per quantity.

export interface Series {
	name: string;
	color: string;
	dashed?: boolean;
	points: Array<{ x: number; y: number }>;
}

export interface Panel {
	title: string;
	yLabel: string;
	series: Series[];
	/** a horizontal line (e.g. a target) */
	line?: { y: number; label: string };
	/** y axis in log scale (for quantities spanning decades) */
	logY?: boolean;
}

const W = 390;
const H = 250;
const M = { left: 58, right: 26, top: 30, bottom: 44 };
/** room for the legend under each panel: one line per series */
const LEGEND_LINE = 15;

/** A round tick step (1, 2, 2.5 or 5 × a power of ten) giving about `count` steps up to `max`. */
function niceStep(max: number, count: number): number {
	const raw = max / count;
	const power = 10 ** Math.floor(Math.log10(raw));
	return [1, 2, 2.5, 5, 10].map((f) => f * power).find((s) => s >= raw)!;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (x: number) =>
	x >= 1000 ? x.toLocaleString('en-US') : Number(x.toPrecision(3)).toString();

function panelSvg(panel: Panel, offsetX: number): string {
	const xs = panel.series.flatMap((s) => s.points.map((p) => p.x));
	const ys = [
		...panel.series.flatMap((s) => s.points.map((p) => p.y)),
		...(panel.line ? [panel.line.y] : []),
	];
	const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
	const lx = (x: number) => Math.log10(x);
	let yMin = panel.logY ? Math.min(...ys) / 1.5 : 0;
	let yMax = Math.max(...ys) * 1.1;
	const step = niceStep(yMax, 4);
	if (panel.logY) {
		yMin = 10 ** Math.floor(Math.log10(yMin));
		yMax = 10 ** Math.ceil(Math.log10(yMax));
	} else {
		yMax = Math.ceil(yMax / step) * step;
	}
	const ty = (y: number) => (panel.logY ? Math.log10(y) : y);
	const px = (x: number) =>
		offsetX +
		M.left +
		((lx(x) - lx(x0)) / Math.max(lx(x1) - lx(x0), 1e-9)) * (W - M.left - M.right);
	const py = (y: number) =>
		M.top + (1 - (ty(y) - ty(yMin)) / (ty(yMax) - ty(yMin))) * (H - M.top - M.bottom);
	const out: string[] = [];
	out.push(
		`<text x="${offsetX + W / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(panel.title)}</text>`,
	);
	// axes and grid
	const yTicks = panel.logY
		? Array.from({ length: Math.round(Math.log10(yMax / yMin)) + 1 }, (_, i) => yMin * 10 ** i)
		: Array.from({ length: Math.round(yMax / step) + 1 }, (_, i) =>
				Number((step * i).toPrecision(6)),
			);
	for (const t of yTicks) {
		out.push(
			`<line x1="${offsetX + M.left}" x2="${offsetX + W - M.right}" y1="${py(t).toFixed(1)}" y2="${py(t).toFixed(1)}" stroke="#ddd"/>`,
		);
		out.push(
			`<text x="${offsetX + M.left - 6}" y="${(py(t) + 4).toFixed(1)}" text-anchor="end">${num(t)}</text>`,
		);
	}
	for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
		out.push(
			`<line x1="${px(x).toFixed(1)}" x2="${px(x).toFixed(1)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`,
		);
		out.push(
			`<text x="${px(x).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${num(x)}</text>`,
		);
	}
	out.push(
		`<text x="${offsetX + M.left + (W - M.left - M.right) / 2}" y="${H - 8}" text-anchor="middle">items (N, log scale)</text>`,
	);
	out.push(
		`<text transform="translate(${offsetX + 14},${M.top + (H - M.top - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(panel.yLabel)}</text>`,
	);
	out.push(
		`<rect x="${offsetX + M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#888"/>`,
	);
	if (panel.line) {
		const y = py(panel.line.y).toFixed(1);
		out.push(
			`<line x1="${offsetX + M.left}" x2="${offsetX + W - M.right}" y1="${y}" y2="${y}" stroke="#c00" stroke-dasharray="2 3"/>`,
		);
		out.push(
			`<text x="${offsetX + W - M.right - 4}" y="${Number(y) - 4}" text-anchor="end" fill="#c00">${esc(panel.line.label)}</text>`,
		);
	}
	panel.series.forEach((s, i) => {
		const points = s.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
		out.push(
			`<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
		);
		for (const p of s.points)
			out.push(
				`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${s.color}"/>`,
			);
		const ly = H + 4 + i * LEGEND_LINE;
		out.push(
			`<line x1="${offsetX + M.left + 8}" x2="${offsetX + M.left + 26}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
		);
		out.push(`<text x="${offsetX + M.left + 30}" y="${ly}">${esc(s.name)}</text>`);
	});
	return out.join('\n');
}

/** Panels side by side in one SVG document. */
export function chartSvg(title: string, panels: Panel[]): string {
	const width = W * panels.length;
	const height = H + 28 + Math.max(...panels.map((p) => p.series.length)) * LEGEND_LINE;
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
		`<title>${esc(title)}</title>`,
		'<rect width="100%" height="100%" fill="white"/>',
		`<g transform="translate(0,20)">`,
		...panels.map((p, i) => panelSvg(p, i * W)),
		'</g>',
		`<text x="${width / 2}" y="14" text-anchor="middle" font-size="12">${esc(title)}</text>`,
		'</svg>',
		'',
	].join('\n');
}
