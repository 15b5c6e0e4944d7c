/**
 * How a handler becomes a Lambda bundle, as esbuild options: the CDK functions are built with
 * these, and the bench builds the same bundles to measure them.
 */
export const lambdaBundling = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  // The Lambda Node.js runtime provides the AWS SDK v3 (NodejsFunction's default too).
  external: ['@aws-sdk/*'],
  // Handlers are ESM; some dependencies still call require(), which ESM only has through createRequire.
  banner: {
    js: "import { createRequire as __kycCreateRequire } from 'node:module'; const require = __kycCreateRequire(import.meta.url);",
  },
} as const;
