import { digitInputParams } from '../ui/digits/params';

/** The live classifier's parameters, kept in the URL so a link opens the same test digit. */
export const liveParams = digitInputParams(0);

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [liveParams];
