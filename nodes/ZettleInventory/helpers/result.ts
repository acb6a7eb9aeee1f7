// One shape for "a value, or why there is none": what every reader of an item field returns.

export type Result<T> = { value: T } | { error: string };

export const isError = <T>(result: Result<T>): result is { error: string } => 'error' in result;

/** The errors of several results, in order. */
export const errorsOf = (...results: Array<Result<unknown> | undefined>): string[] =>
	results.flatMap((r) => (r && 'error' in r ? [r.error] : []));
