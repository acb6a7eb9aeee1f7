// Correlation ids the node chooses itself.

import { randomUUID } from 'crypto';

/** A new correlation id for one request. */
export const newExternalUuid = (): string => randomUUID();
