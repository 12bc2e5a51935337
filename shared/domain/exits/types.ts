import type { Attachment } from '../ports.js';
import type { ExitMethod, StepDetail } from './steps.js';

/** What a district enters for one enterprise (a row of its file, or the form). */
export interface ExitItemFields {
  /** 企业名称. */
  readonly name: string;
  /** 统一社会信用代码: 18 characters with a valid check character (creditCode.ts); the item's identity in its plan. */
  readonly creditCode: string;
  /** 行业. */
  readonly industry: string;
  /** 落后产能: the backward capacity or equipment, described. */
  readonly capacity: string;
  /** 数量, as written (a decimal). */
  readonly quantity: string;
  /** 计量单位: 万吨/年, 台, 条, … */
  readonly measure: string;
  readonly exitMethod: ExitMethod;
  /** 计划完成日期 (YYYY-MM-DD): the ladder counts from it. */
  readonly plannedDate: string;
}

/** One step done, with its date and evidence (the portal's S3 path for each file). */
export interface ExitStepRecord {
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly details?: Partial<Record<StepDetail, string>>;
  readonly attachments?: readonly Attachment[];
  /** Who recorded it, and when (epoch ms). */
  readonly by: string;
  readonly at: number;
}

/** 拒不退出 — the district reports the enterprise resisting: it goes on the 信用 list. */
export interface ExitResistance {
  readonly note: string;
  readonly by: string;
  readonly at: number;
}

/** 退出台账条目 — one enterprise a district must see out of production, with its steps. */
export interface ExitItem extends ExitItemFields {
  readonly plan: string;
  readonly milestone: string;
  readonly unit: string;
  readonly steps: Readonly<Record<string, ExitStepRecord>>;
  readonly resisted?: ExitResistance;
  /** Bumped by every write: a write made from an older read is refused (ConcurrentEditError). */
  readonly version: number;
  /** Epoch ms of the first write, and of the latest. */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly updatedBy: string;
}

/** 退出台账 — the items of a plan's exit ledger. */
export interface ExitLedger {
  /** Every item of the plan (one Query, paged): dispatch, reconcile, the board and the exports read it whole. */
  listItems(planId: string): Promise<ExitItem[]>;
  /**
   * Which unit holds each code of the plan, without the items themselves (keys only): what an import checks a
   * file against, without reading every district's items whole.
   */
  listCodes(planId: string): Promise<{ readonly unit: string; readonly creditCode: string }[]>;
  /** One unit's items. */
  listUnitItems(planId: string, unit: string): Promise<ExitItem[]>;
  getItem(planId: string, unit: string, creditCode: string): Promise<ExitItem | undefined>;
  /**
   * Writes items, each only if the stored one is still at `expected` (its version as read, undefined: must not
   * exist); resolves with how many were written. A lost race throws ConcurrentEditError naming the code.
   */
  putItems(items: readonly { item: ExitItem; expected: number | undefined }[]): Promise<number>;
  /** Removes an item if it is still at `expected`. */
  deleteItem(planId: string, unit: string, creditCode: string, expected: number): Promise<void>;
}
