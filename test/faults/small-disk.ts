import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * A small filesystem of its own (tmpfs), so a test can fill it: the database on a full disk,
 * as an office's server runs out of space. Mounting needs root (CAP_SYS_ADMIN), as on these
 * machines and in CI; elsewhere `mount` fails and the tests that need it say why they skip.
 */
export interface SmallDisk {
  dir: string;
  /** Fills the disk to the last byte (after SQLite's write-ahead log is emptied into the file). */
  fill(dbFile: string): void;
  /** Frees what fill() took. */
  free(): void;
  unmount(): void;
}

export function mountSmallDisk(sizeKb = 4096): SmallDisk | string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ducha-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKb}k`, "tmpfs", dir], { stdio: "pipe" });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    return `cannot mount a small filesystem here (${String((error as Error).message).split("\n")[0]})`;
  }
  const filler = path.join(dir, "filler");
  return {
    dir,
    fill(dbFile) {
      const db = new Database(dbFile);
      db.pragma("wal_checkpoint(TRUNCATE)");
      db.close();
      const fd = fs.openSync(filler, "a");
      try {
        for (const size of [1 << 16, 1 << 12, 1 << 9, 1]) {
          try {
            for (;;) fs.writeSync(fd, Buffer.alloc(size));
          } catch {
            // Full at this block size: try smaller ones down to the last byte.
          }
        }
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    unmount() {
      execFileSync("umount", ["-l", dir], { stdio: "pipe" });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
