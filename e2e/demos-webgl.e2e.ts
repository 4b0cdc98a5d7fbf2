import { demoSuite } from './demo-suite';

// Every demo on webgl (e2e/demo-suite.ts).
demoSuite('webgl');
