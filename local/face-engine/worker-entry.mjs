// Worker threads start from this plain JavaScript file so that they boot the same way under
// tsx, vitest and plain node: tsx's API compiles the TypeScript worker on the fly.
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
