import { runDemo } from "./demo.js";

runDemo((line) => process.stdout.write(`${line}\n`))
  .then(() => {
    process.stdout.write("\n演示结束。ducha demo finished.\n");
  })
  .catch((error: unknown) => {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
