/**
 * The embedded store of a sweep (Node): one SQLite file, DIR/sweep.sqlite (better-sqlite3), no service to start.
 *
 * Crash safety: write-ahead log with synchronous=FULL, so a committed transaction survives a crash of the process
 * or of the machine. Each result is written with its key (PRIMARY KEY) by INSERT OR IGNORE inside a transaction: a
 * batch of results is all there or not at all, a point delivered twice is stored once, and a resumed sweep skips the
 * keys already there. The spec, seed, ness version and the sweep's identity are in the `meta` table.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { SweepError } from "../errors.js";
import type { OutputFlag } from "../sweep/evaluate.js";

export const STORE_FILE = "sweep.sqlite";

/** One computed point as stored. */
export interface StoredPoint {
  key: string;
  /** Index of the point in the sweep (the first, when the same key occurs at several). */
  index: number;
  /** Axis values, in the order of the axes. */
  values: number[];
  status: "done" | "failed";
  /** Output columns (done points). */
  outputs?: Record<string, number>;
  /** Done points: each stochastic output's reliability flag and note (none for a sweep of exact outputs). */
  flags?: Record<string, OutputFlag>;
  /** Why the point has no result (failed points). */
  error?: string;
  /** Wall time of the computation (seconds) and who computed it (e.g. a host and process id). */
  seconds: number;
  worker: string;
}

export interface StoreMeta {
  /** Identity of the sweep: a hash of its task and points (a resumed sweep must have the same). */
  sweepId: string;
  version: string;
  seed: number;
  /** The spec as given, JSON. */
  spec: string;
  axes: string[];
  columns: string[];
  points: number;
  /** Distinct keys among the points (equal parameters are one computation). */
  keys: number;
}

export class SweepStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement | null;
  private readonly putMany: (rows: StoredPoint[]) => number;

  /**
   * Whether the store keeps the reliability flags of stochastic outputs (the `flags` column). A store written before
   * they were kept has no such column: it is read as it is (its exports and figures carry no flags), a sweep of exact
   * outputs resumes in it (the column is added), and one with stochastic outputs is refused (storesFlagsOrRefuse).
   */
  readonly hasFlags: boolean;

  private constructor(
    readonly file: string,
    readonly meta: StoreMeta,
    writing = true,
  ) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(`CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS points (key TEXT PRIMARY KEY, idx INTEGER NOT NULL, vals TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('done', 'failed')), outputs TEXT, flags TEXT, error TEXT,
        seconds REAL NOT NULL, worker TEXT NOT NULL, stored_at TEXT NOT NULL);`);
    const cols = (this.db.prepare("PRAGMA table_info(points)").all() as { name: string }[]).map((c) => c.name);
    let hasFlags = cols.includes("flags");
    if (!hasFlags && writing) {
      const refusal = oldStoreRefusal(path.dirname(file), meta);
      if (refusal) {
        this.db.close();
        throw new SweepError(refusal);
      }
      this.db.exec("ALTER TABLE points ADD COLUMN flags TEXT");
      hasFlags = true;
    }
    this.hasFlags = hasFlags;
    // A store opened for reading only (an old one, not migrated) takes no points.
    this.insert = hasFlags
      ? this.db.prepare(`INSERT OR IGNORE INTO points (key, idx, vals, status, outputs, flags, error, seconds, worker,
        stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      : null;
    this.putMany = this.db.transaction((rows: StoredPoint[]) => {
      const now = new Date().toISOString();
      let n = 0;
      const insert = this.insert;
      if (!insert) throw new SweepError(`${this.file} was opened for reading: it takes no points`);
      for (const r of rows) {
        n += insert.run(
          r.key,
          r.index,
          JSON.stringify(r.values),
          r.status,
          r.outputs ? JSON.stringify(r.outputs) : null,
          r.flags ? JSON.stringify(r.flags) : null,
          r.error ?? null,
          r.seconds,
          r.worker,
          now,
        ).changes;
      }
      return n;
    });
  }

  /**
   * Opens DIR/sweep.sqlite: creates it for a new sweep (the folder must not hold a sweep already), or reopens it with
   * `resume` (it must hold this very sweep).
   */
  static open(dir: string, meta: StoreMeta, resume: boolean): SweepStore {
    const file = path.join(dir, STORE_FILE);
    const exists = existsSync(file);
    if (exists && !resume)
      throw new SweepError(
        `${dir} already holds a sweep (${STORE_FILE}): add --resume to continue it, or choose another --out`,
      );
    if (!exists) {
      if (resume) throw new SweepError(`--resume: ${dir} holds no sweep (${STORE_FILE} is missing)`);
      if (existsSync(dir) && !statSync(dir).isDirectory()) throw new SweepError(`--out ${dir} is not a folder`);
      if (existsSync(dir) && readdirSync(dir).length > 0)
        throw new SweepError(`--out ${dir} is not empty (a sweep writes into a new or empty folder)`);
      mkdirSync(dir, { recursive: true });
    }
    const store = new SweepStore(file, meta);
    if (exists) {
      const old = store.readMeta();
      if (old.sweepId !== meta.sweepId) {
        store.close();
        throw new SweepError(
          `--resume: ${dir} holds another sweep (its spec, points or ness version ${old.version} differ from this one): resume it with its own spec, or choose another --out`,
        );
      }
    } else {
      const set = store.db.prepare("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)");
      store.db.transaction(() => {
        for (const [k, v] of Object.entries(meta)) set.run(k, JSON.stringify(v));
        set.run("created", JSON.stringify(new Date().toISOString()));
      })();
    }
    return store;
  }

  /** Opens an existing store read-only-ish (plot, export): its meta from the file. */
  static openExisting(dir: string): SweepStore {
    const file = path.join(dir, STORE_FILE);
    if (!existsSync(file)) throw new SweepError(`${dir} holds no sweep (${STORE_FILE} is missing)`);
    const probe = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const rows = probe.prepare("SELECT name, value FROM meta").all() as { name: string; value: string }[];
      const meta = Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)])) as StoreMeta;
      return new SweepStore(file, meta, false);
    } catch (err) {
      throw new SweepError(`${file} is not a sweep store: ${(err as Error).message}`);
    } finally {
      probe.close();
    }
  }

  private readMeta(): StoreMeta {
    const rows = this.db.prepare("SELECT name, value FROM meta").all() as { name: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)])) as StoreMeta;
  }

  /** Keys already stored (done or failed). */
  doneKeys(): Set<string> {
    const out = new Set<string>();
    for (const r of this.db.prepare("SELECT key FROM points").iterate() as Iterable<{ key: string }>) out.add(r.key);
    return out;
  }

  /** Stores results in one transaction; a key already there is left as it is. Returns how many were new. */
  put(rows: StoredPoint[]): number {
    return rows.length === 0 ? 0 : this.putMany(rows);
  }

  counts(): { done: number; failed: number } {
    const r = this.db
      .prepare("SELECT SUM(status = 'done') AS done, SUM(status = 'failed') AS failed FROM points")
      .get() as { done: number | null; failed: number | null };
    return { done: r.done ?? 0, failed: r.failed ?? 0 };
  }

  /** Every stored point, in the order of the sweep. */
  *points(): Generator<StoredPoint> {
    const q = this.db.prepare(
      `SELECT key, idx, vals, status, outputs, ${this.hasFlags ? "flags" : "NULL AS flags"}, error, seconds, worker FROM points ORDER BY idx`,
    );
    for (const r of q.iterate() as Iterable<{
      key: string;
      idx: number;
      vals: string;
      status: "done" | "failed";
      outputs: string | null;
      flags: string | null;
      error: string | null;
      seconds: number;
      worker: string;
    }>) {
      yield {
        key: r.key,
        index: r.idx,
        values: JSON.parse(r.vals) as number[],
        status: r.status,
        ...(r.outputs !== null ? { outputs: JSON.parse(r.outputs) as Record<string, number> } : {}),
        ...(r.flags !== null ? { flags: JSON.parse(r.flags) as Record<string, OutputFlag> } : {}),
        ...(r.error !== null ? { error: r.error } : {}),
        seconds: r.seconds,
        worker: r.worker,
      };
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The stochastic outputs of a sweep: the columns with an error bar (`<output>.error`). */
export function measuredOutputs(columns: readonly string[]): string[] {
  return columns.filter((c) => columns.includes(`${c}.error`));
}

/**
 * Why a store written before the reliability flags were kept cannot take more points, or null when it can: its
 * stored stochastic points have no flags, so a resumed sweep would mix flagged and unflagged points.
 */
export function oldStoreRefusal(dir: string, meta: Pick<StoreMeta, "columns">): string | null {
  const measured = measuredOutputs(meta.columns ?? []);
  if (measured.length === 0) return null;
  return `--resume: ${dir} was written by an earlier ness that did not keep the reliability flags of stochastic outputs (${measured[0]}${measured.length > 1 ? ", ..." : ""}): run the sweep again into another --out (its stored points stay readable by ness plot and in its exports)`;
}
