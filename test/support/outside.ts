import Database from "better-sqlite3";

/**
 * Another program changing the bot's database file under it (a restore gone wrong, an operator).
 * It runs in the tests' own process, beside the bot: a synchronous busy wait would stall the bot
 * holding the lock it waits for, so it does not wait inside SQLite; it tries again after letting
 * the bot finish what it has under way.
 */
export class Outsider {
  readonly #db: Database.Database;

  constructor(file: string) {
    this.#db = new Database(file, { timeout: 0 });
  }

  async exec(sql: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.#db.exec(sql);
        return;
      } catch (error) {
        const code = (error as { code?: string }).code ?? "";
        if (!code.startsWith("SQLITE_BUSY") || attempt >= 500) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  }

  close(): void {
    this.#db.close();
  }
}
