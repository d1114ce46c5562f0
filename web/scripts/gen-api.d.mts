// Types of gen-api.mjs, for test/apiSchema.test.ts.
export declare const SOURCE: string;
export declare const OUTPUT: string;
export declare const REGENERATE: string;
export declare function generateApiSchema(options?: { silent?: boolean }): Promise<string>;
