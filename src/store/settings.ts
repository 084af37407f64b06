import type { Tx } from "./database.js";
import { forgetLights } from "./tasks.js";

/** Raw settings rows: keys and JSON values. What they mean lives in src/domain/settings.ts. */
export class SettingRepository {
  constructor(private readonly db: Tx) {}

  async all(): Promise<Map<string, unknown>> {
    const rows = await this.db.setting.findMany();
    return new Map(rows.map((row) => [row.key, JSON.parse(row.value) as unknown]));
  }

  async get(key: string): Promise<unknown> {
    const row = await this.db.setting.findUnique({ where: { key } });
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  }

  async set(key: string, value: unknown, by: string): Promise<void> {
    const json = JSON.stringify(value);
    await this.db.setting.upsert({
      where: { key },
      create: { key, value: json, updatedBy: by },
      update: { value: json, updatedBy: by },
    });
    // A threshold or the jobs' time zone may have changed: every stored light is worked out again.
    await forgetLights(this.db);
  }
}
