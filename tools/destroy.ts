/**
 * `npm run destroy -- <env|stack>... [--auto-approve] [--emulator]`: see `--help` and docs/operating.md.
 * Thin: the engine is tools/operate/.
 */
import { runOperatorCommand } from "./operate/command";

void runOperatorCommand("destroy", process.argv.slice(2)).then((code) => (process.exitCode = code));
