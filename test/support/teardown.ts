import { stopEngineTimers } from '../../harness/engine';

afterAll(() => stopEngineTimers());
