import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** Messages of the dependency rule for `code` linted as if it lived at `file`. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${file}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('dependency rules of DESIGN §1', () => {
  it('forbid a component to import ONNX Runtime', async () => {
    const errors = await boundaryErrors(
      'packages/components/src/graph/graph-element.ts',
      "import * as ort from 'onnxruntime-web';\nexport const x = ort;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('rule 4');
  });

  it('forbid a component to import engine runtime code, but allow the schema', async () => {
    const code = [
      "import { loadModel } from '@lmtt/engine/web';",
      "import { registerBackend } from '@lmtt/engine';",
      "import { x } from '../../../engine/src/backend/registry.js';",
      "import type { TokenView } from '@lmtt/engine/schema';",
      'export const y: TokenView | undefined = void [loadModel, registerBackend, x];',
    ].join('\n');
    const errors = await boundaryErrors('packages/components/src/tokens/x.ts', code);
    expect(errors).toHaveLength(3);
  });

  it('forbid the engine core to import ONNX Runtime or transformers, but not its platform entries', async () => {
    const code = "import * as ort from 'onnxruntime-node';\nexport const x = ort;\n";
    expect(await boundaryErrors('packages/engine/src/model/load.ts', code)).toHaveLength(1);
    expect(await boundaryErrors('packages/engine/src/node.ts', code)).toEqual([]);
    expect(await boundaryErrors('packages/engine/src/runtime/node/cpu.ts', code)).toEqual([]);
    const transformers =
      "import { AutoTokenizer } from '@huggingface/transformers';\nexport const t = AutoTokenizer;\n";
    expect(
      await boundaryErrors('packages/engine/src/tokenizer/load.ts', transformers),
    ).toHaveLength(1);
  });

  it('keep the schema free of imports from outside its folder', async () => {
    const code =
      "import { LmttError } from '../errors.js';\nimport { v } from './version.js';\nexport const x = [LmttError, v];\n";
    const errors = await boundaryErrors('packages/engine/src/schema/trace.ts', code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('rule 1');
  });

  it('forbid packages to import apps, stories or tests', async () => {
    const code =
      "import { x } from '@lmtt/playground';\nimport { y } from '../../../apps/playground/src/main.js';\nexport const z = [x, y];\n";
    expect(await boundaryErrors('packages/server/src/app.ts', code)).toHaveLength(2);
  });

  it('keep the server on the Node engine', async () => {
    const code = "import { x } from '@lmtt/engine/web';\nexport const y = x;\n";
    expect(await boundaryErrors('packages/server/src/app.ts', code)).toHaveLength(1);
  });
});

describe('the pure graph entry', () => {
  it('may import the schema but nothing else', async () => {
    const ok =
      "import type { GraphNode } from '../schema/graph.js';\nimport { x } from './routes.js';\nexport const y: GraphNode | undefined = void x;\n";
    expect(await boundaryErrors('packages/engine/src/graph/build-graph.ts', ok)).toEqual([]);
    const bad = "import { float32 } from '../backend/tensor.js';\nexport const y = float32;\n";
    expect(await boundaryErrors('packages/engine/src/graph/build-graph.ts', bad)).toHaveLength(1);
  });

  it('is open to components', async () => {
    const code = "import { buildGraph } from '@lmtt/engine/graph';\nexport const y = buildGraph;\n";
    expect(await boundaryErrors('packages/components/src/graph/x.ts', code)).toEqual([]);
  });
});
