import { demoSuite } from './demo-suite';

// Every demo on wasm (e2e/demo-suite.ts).
demoSuite('wasm');
