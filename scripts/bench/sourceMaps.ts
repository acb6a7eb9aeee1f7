// Imported first by scripts/bench.ts: keeps the source maps of the TypeScript that tsx compiles, so
// that the CPU profile of the node alone names lines of nodes/…/*.ts (tsx's output is one line per
// file). Only Error.stack formatting consults them, which the measured runs do not use.
process.setSourceMapsEnabled(true);
