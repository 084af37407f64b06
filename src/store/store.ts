import { AsyncLocalStorage } from "node:async_hooks";
import { AckBatch, eachApart } from "./ack-batch.js";
import { CalendarRepository } from "./calendar.js";
import { CoordinationRepository } from "./coordinations.js";
import type { Database, PrismaClient, Provider, Tx } from "./database.js";
import { DecisionRepository } from "./decisions.js";
import { DepartmentRepository } from "./departments.js";
import { EventRepository } from "./events.js";
import { ExtensionRepository } from "./extensions.js";
import { InboxRepository } from "./inbox.js";
import { InboxRequestRepository } from "./inbox-requests.js";
import { InfoRepository } from "./information.js";
import { JobRunRepository } from "./job-runs.js";
import { Lane } from "./lane.js";
import { LedgerRepository } from "./ledger.js";
import {
  ClosureRepository,
  RecheckRepository,
  RectificationRepository,
  SiteCheckRepository,
} from "./loops.js";
import { OutboxRepository } from "./outbox.js";
import { type DatabaseProblem, databaseProblem, isPoolTimeout } from "./problems.js";
import { ReportRepository } from "./reports.js";
import { RoleRepository } from "./roles.js";
import { SearchRepository } from "./search.js";
import { SettingRepository } from "./settings.js";
import { firstInLine, inboxTurn, inInboxTurn, readingOnly } from "./sqlite-adapter.js";
import { SummaryRepository } from "./summaries.js";
import { TaskLightRepository } from "./task-lights.js";
import { TaskRepository } from "./tasks.js";

/** The repositories, bound to the client or to one transaction. */
export interface Repositories {
  departments: DepartmentRepository;
  roles: RoleRepository;
  settings: SettingRepository;
  events: EventRepository;
  decisions: DecisionRepository;
  tasks: TaskRepository;
  /** Stored lights and the open tasks whole-board work reads. */
  taskLights: TaskLightRepository;
  outbox: OutboxRepository;
  calendar: CalendarRepository;
  reports: ReportRepository;
  extensions: ExtensionRepository;
  coordinations: CoordinationRepository;
  inboxRequests: InboxRequestRepository;
  inbox: InboxRepository;
  jobRuns: JobRunRepository;
  summaries: SummaryRepository;
  ledger: LedgerRepository;
  /** 报结, 回头看, 实地核查, 整改. */
  closures: ClosureRepository;
  rechecks: RecheckRepository;
  siteChecks: SiteCheckRepository;
  rectifications: RectificationRepository;
  /** 信息报送. */
  info: InfoRepository;
  /** 查考's index. */
  search: SearchRepository;
}

/**
 * The only way into the database. Every use goes through a transaction, reads included: with
 * SQLite one connection serves the whole process, and a query outside a transaction would
 * otherwise run inside whichever transaction is open at that moment.
 */
export interface Store {
  /**
   * Runs `work` in one transaction: all of it is written or none. Retried when another
   * process held the write lock (SQLite busy) or a write conflicted, so callers need no loop;
   * `work` may therefore run more than once and must not call Slack.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>, timeoutMs?: number): Promise<T>;
  /**
   * Runs `work` in a transaction that only reads: a consistent view of the data. Reads of a
   * whole period (summaries) may allow themselves longer than the default five seconds.
   */
  read<T>(work: (tx: Repositories) => Promise<T>, timeoutMs?: number): Promise<T>;
  /**
   * A small write that must be done before Slack is answered (an event into the inbox, a
   * request's trigger_id): it goes before the other work waiting for the database in this
   * process, so an acknowledgement waits for one transaction, not for a queue of them. `work`
   * is ONE statement: on PostgreSQL it runs on its own, without a transaction around it (one
   * round trip instead of three; a single statement is atomic by itself).
   */
  acknowledging<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * Runs `work`, one statement that is right whatever runs beside it (an UPDATE by id that
   * checks the state it changes: a claim by ids, a message marked sent, an event marked done).
   * On PostgreSQL it takes no place in the process's line of writes and no transaction (the
   * statement commits alone); on SQLite it is a transaction like any other.
   */
  statement<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * Runs `work` (the inbox worker's: storing the thread replies, one at a time) with its
   * transactions taking turns with the rest of the work waiting on SQLite's one connection.
   */
  inboxTurn<T>(work: () => Promise<T>): Promise<T>;
  /** True when the database answers within the time given. */
  ping(timeoutMs: number): Promise<boolean>;
  /** Brings the planner's statistics up to date (SQLite; database.ts). */
  optimize(): Promise<void>;
  /**
   * What is wrong with the database now, or null: the last failure of a transaction (a full
   * disk, a damaged file, a database away) until a write goes through again, or the damage
   * `PRAGMA quick_check` found at start until a check finds none.
   */
  problem(): DatabaseProblem | null;
  /**
   * Looks again after a problem: a small write (and, after damage, a quick check). Clears the
   * problem when the database works again; returns what is still wrong.
   */
  recheck(): Promise<DatabaseProblem | null>;
  /** SQLite's `PRAGMA quick_check`: the damage found (then also the store's problem), or null. */
  quickCheck(): Promise<string | null>;
  close(): Promise<void>;
}

function repositories(db: Tx, provider: Provider): Repositories {
  return {
    departments: new DepartmentRepository(db),
    roles: new RoleRepository(db),
    settings: new SettingRepository(db),
    events: new EventRepository(db),
    decisions: new DecisionRepository(db),
    tasks: new TaskRepository(db),
    taskLights: new TaskLightRepository(db),
    outbox: new OutboxRepository(db),
    calendar: new CalendarRepository(db),
    reports: new ReportRepository(db),
    extensions: new ExtensionRepository(db),
    coordinations: new CoordinationRepository(db),
    inboxRequests: new InboxRequestRepository(db),
    inbox: new InboxRepository(db),
    jobRuns: new JobRunRepository(db),
    summaries: new SummaryRepository(db, provider),
    ledger: new LedgerRepository(db),
    closures: new ClosureRepository(db),
    rechecks: new RecheckRepository(db),
    siteChecks: new SiteCheckRepository(db),
    rectifications: new RectificationRepository(db),
    info: new InfoRepository(db),
    search: new SearchRepository(db, provider),
  };
}

/**
 * Errors that mean "another transaction was in the way; the same work will succeed again":
 * Prisma's P1008 (SQLite busy), P2034 (write conflict or deadlock), P2028 (no transaction
 * slot in time); SQLite's busy and locked codes as the driver reports them (SQLITE_BUSY_SNAPSHOT
 * when a read snapshot went stale under another process's write); PostgreSQL's serialization
 * failure (40001), deadlock (40P01) and lock not available (55P03).
 */
const RETRYABLE = new Set(["P1008", "P2034", "P2028", "40001", "40P01", "55P03"]);
/**
 * How long a transaction keeps trying while others are in the way before it gives up. Work
 * after an acknowledgement (a click's, the inbox's) has no other chance, so this is generous:
 * a busy SQLite file shared by two processes, on a loaded machine, was seen to need ten seconds.
 */
const RETRY_BUDGET_MS = 25_000;
/** How long work waits in line for the connection (the retry budget, nearly). */
const QUEUE_WAIT_MS = 20_000;

function transientCode(code: unknown): boolean {
  return (
    typeof code === "string" &&
    (RETRYABLE.has(code) || code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
  );
}

export function isRetryable(error: unknown): boolean {
  const e = error as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } };
    cause?: { code?: unknown; originalCode?: unknown };
  } | null;
  if (!e) return false;
  // Every pooled connection was busy (PostgreSQL): one will be free again.
  if (isPoolTimeout(error)) return true;
  const cause = e.meta?.driverAdapterError?.cause;
  return (
    transientCode(e.code) ||
    transientCode(cause?.originalCode) ||
    transientCode(cause?.code) ||
    transientCode(e.cause?.code) ||
    transientCode(e.cause?.originalCode)
  );
}

/** The inbox entry a piece of work settles (`id`, once known), and whether a write of it committed. */
interface Settling {
  id: number | undefined;
  committed: boolean;
}

const settling = new AsyncLocalStorage<Settling>();

/**
 * Runs a stored click or command (src/slack/durable-clicks.ts) so that each write transaction it
 * begins also marks its inbox entry `id` done, in that same transaction: a process that dies
 * after the click's write committed leaves it done, not to be run again by another worker
 * (催办 would urge twice); one whose write rolled back leaves it waiting.
 */
export function settlingInboxEntry<T>(id: number, work: () => Promise<T>): Promise<T> {
  return settling.run({ id, committed: false }, work);
}

/** Work begun before its inbox entry exists (a modal submission stored when it runs late). */
export interface SettlingLater {
  /** Whether a write transaction of the work has committed so far. */
  readonly committed: boolean;
  /** From now on, each write transaction of the work also marks entry `id` done. */
  bind(id: number): void;
}

/** Runs `work` as settlingInboxEntry does, with the entry named later (or never). */
export function settlingLater<T>(work: () => Promise<T>): { result: Promise<T>; later: SettlingLater } {
  const state: Settling = { id: undefined, committed: false };
  return {
    result: settling.run(state, work),
    later: {
      get committed() {
        return state.committed;
      },
      bind(id) {
        state.id = id;
      },
    },
  };
}

export function createStore(
  database: Database,
  options: {
    initialProblem?: DatabaseProblem | null;
    onProblem?: (problem: DatabaseProblem | null) => void;
  } = {},
): Store {
  const client: PrismaClient = database.client;
  // SQLite runs one writer at a time, and the services are written for that: a transaction
  // reads, decides and writes as if alone. PostgreSQL gives the same guarantee at Serializable
  // and answers a conflict with 40001, which is retried below like SQLite's busy.
  const isolation = database.provider === "postgresql" ? { isolationLevel: "Serializable" as const } : {};
  let problem: DatabaseProblem | null = options.initialProblem ?? null;
  const setProblem = (next: DatabaseProblem | null) => {
    const changed = (problem?.kind ?? null) !== (next?.kind ?? null);
    problem = next;
    if (changed) options.onProblem?.(next);
  };
  // SQLite's adapter keeps its own line on its one connection; PostgreSQL's writes take this one.
  const writes = database.provider === "postgresql" ? new Lane() : undefined;
  const transaction = async <T>(
    work: (tx: Repositories) => Promise<T>,
    timeoutMs?: number,
    how: { reading?: boolean; first?: boolean; single?: boolean } = {},
  ): Promise<T> => {
    const giveUpAt = Date.now() + RETRY_BUDGET_MS;
    for (let attempt = 1; ; attempt++) {
      // What acknowledges a request (one small insert) does not wait in line, nor for a pooled
      // connection: on PostgreSQL it has connections of its own; a conflict is retried.
      const alone = how.single && database.provider === "postgresql";
      const release =
        how.reading || how.first || alone
          ? undefined
          : await writes?.acquire(inInboxTurn() ? "inbox" : "rest");
      const through = how.first
        ? (database.acknowledgingClient ?? client)
        : how.reading
          ? (database.readingClient ?? client)
          : client;
      try {
        // PostgreSQL: an acknowledging write is one statement, atomic without BEGIN and COMMIT,
        // which cost two more round trips on a busy event loop (command acks p50 338 ms, most of
        // them waiting for the replay check's 300 ms limit with 64 in flight). SQLite keeps the
        // transaction: its one connection may be inside another's, which the lock keeps apart.
        if ((how.first || alone) && database.provider === "postgresql")
          return await work(repositories(through, "postgresql"));
        const settles = how.reading || how.first ? undefined : settling.getStore();
        const result = await through.$transaction(
          async (tx) => {
            const repos = repositories(tx, database.provider);
            const result = await work(repos);
            // A stored click's or command's entry is done with the write that did it.
            if (settles?.id !== undefined) await repos.inbox.done([settles.id], new Date());
            return result;
          },
          {
            ...(timeoutMs ? { timeout: timeoutMs } : {}),
            // Work waits its turn in line for as long as the retries would have tried: failing
            // at Prisma's default two seconds (P2028) and backing off put it behind everything
            // that arrived meanwhile, and under a burst acknowledged clicks ran out of tries.
            // An acknowledgement, first in line, keeps the client's.
            ...(how.first ? {} : { maxWait: Math.max(timeoutMs ?? 0, QUEUE_WAIT_MS) }),
            ...isolation,
          },
        );
        if (settles) settles.committed = true;
        return result;
      } catch (error) {
        release?.();
        const found = databaseProblem(error);
        // A busy database is retried below; anything else (full, damaged, away) is remembered.
        if (found && found.kind !== "busy" && problem?.kind !== "corrupt") setProblem(found);
        if (Date.now() >= giveUpAt || !isRetryable(error)) throw error;
        const backoff = Math.min(1_000, 10 * 2 ** Math.min(attempt, 7));
        await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * backoff));
      } finally {
        release?.();
      }
    }
  };
  // SQLite: the acknowledging writes that arrive together are committed together (ack-batch.ts).
  const acks =
    database.provider === "sqlite"
      ? new AckBatch<Repositories>((works) =>
          firstInLine(() =>
            transaction(
              (tx) => eachApart(tx, works as ((tx: Repositories) => Promise<unknown>)[]),
              undefined,
              {
                first: true,
              },
            ),
          ),
        )
      : undefined;
  return {
    transaction: (work, timeoutMs) => transaction(work, timeoutMs),
    // On SQLite a read never takes the write lock (see readingOnly); on PostgreSQL reads do
    // not wait in the line of writes.
    read: (work, timeoutMs) => readingOnly(() => transaction(work, timeoutMs, { reading: true })),
    acknowledging: (work) =>
      acks ? acks.add(work) : firstInLine(() => transaction(work, undefined, { first: true })),
    statement: (work) => transaction(work, undefined, { single: true }),
    inboxTurn: (work) => inboxTurn(work),
    ping: (timeoutMs) => database.ping(timeoutMs),
    optimize: () => database.optimize(),
    problem: () => problem,
    async recheck() {
      if (!problem) return null;
      if (problem.kind === "corrupt") {
        const damage = await database.quickCheck().catch(() => "unreadable");
        if (damage) return problem;
      }
      if (await database.probeWrite()) setProblem(null);
      return problem;
    },
    async quickCheck() {
      // A check that cannot even run ("database disk image is malformed") found damage too.
      const damage = await database
        .quickCheck()
        .catch((error: unknown) => String((error as Error).message ?? error));
      if (damage) setProblem({ kind: "corrupt", code: "SQLITE_CORRUPT" });
      return damage;
    },
    close: () => database.close(),
  };
}
