import { stopEngineTimers } from './engine';

afterAll(() => stopEngineTimers());
