import { runDemo } from "./demo.js";

/** `npm run demo -- --save-files DIR`: also keep the files the bot shared (ledgers, bulletin, charts). */
const at = process.argv.indexOf("--save-files");
const saveFilesTo = at >= 0 ? process.argv[at + 1] : undefined;

runDemo((line) => process.stdout.write(`${line}\n`), saveFilesTo ? { saveFilesTo } : {})
  .then(() => {
    process.stdout.write("\n演示结束。ducha demo finished.\n");
  })
  .catch((error: unknown) => {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
