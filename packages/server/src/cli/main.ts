import { serveCommand } from './serve.js';
import { traceCommand } from './trace.js';

const USAGE = `usage: lmtt <command> [options]

commands:
  serve [--config FILE] [--host H] [--port N]
                                start the server with the playground
  trace [--model ID|DIR] [--device cpu|webgpu|cuda] [--dtype fp32|fp16]
        [--threshold 0.04] [--no-renormalize] [--distance l1|l2]
        [--detail summary|full] [--top-k 10] [--out FILE] "prompt"
                                trace a prompt into a self-contained trace file
                                (JSON to stdout without --out)`;

/**
 * Runs the `lmtt` command line; returns the process exit code.
 *
 * @param argv - arguments after the program name
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serveCommand(rest);
      case 'trace':
        return await traceCommand(rest);
      case undefined:
      case '-h':
      case '--help':
        console.log(USAGE);
        return command ? 0 : 2;
      default:
        console.error(`lmtt: unknown command '${command}'\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    console.error(`lmtt: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
