import { demoSuite } from './demo-suite';

// Every demo on cpu (e2e/demo-suite.ts).
demoSuite('cpu');
