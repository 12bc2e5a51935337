/**
 * The words of the exit ledger (退出台账) that every part shares — the plan schema, dispatch, the portal, the
 * exports — kept apart from zod so the dispatch bundle can read them without the schema library.
 */

/** 退出方式: how an enterprise's backward capacity leaves production (the seed: 关停、停业、关闭、取缔, or 拆除 equipment). */
export const EXIT_METHODS = ['关停', '停业', '关闭', '取缔', '拆除'] as const;
export type ExitMethod = (typeof EXIT_METHODS)[number];

/** What a step records besides its date: 验收 by whom; 公告 where and under which 文号. */
export const STEP_DETAILS = ['by', 'where', 'docNumber'] as const;
export type StepDetail = (typeof STEP_DETAILS)[number];

export const STEP_DETAIL_LABEL: Record<StepDetail, string> = {
  by: '验收单位（人）',
  where: '公告载体',
  docNumber: '文号',
};

/** One step of an exit as the plan names it. */
export interface ExitStepDefinition {
  /** An ASCII slug: it ends up in form names, keys and attachment paths. */
  readonly id: string;
  /** As the office writes it: 断电, 验收, … */
  readonly name: string;
  /** What the step records besides its date. */
  readonly details: readonly StepDetail[];
}

/**
 * The seed's steps (执行监管阶段): 断电、断水，拆除动力装置，封存主体设备, then 验收、公告和档案保存. A plan that names
 * no steps gets these.
 */
export const DEFAULT_EXIT_STEPS: readonly ExitStepDefinition[] = [
  { id: 'power-cut', name: '断电', details: [] },
  { id: 'water-cut', name: '断水', details: [] },
  { id: 'power-equipment-removed', name: '拆除动力装置', details: [] },
  { id: 'equipment-sealed', name: '封存主体设备', details: [] },
  { id: 'acceptance', name: '验收', details: ['by'] },
  { id: 'announcement', name: '公告', details: ['where', 'docNumber'] },
  { id: 'archived', name: '归档', details: [] },
];

/**
 * Which steps make an exit 完成, per 退出方式, when the plan does not say: closing a whole enterprise cuts its power
 * and water; removing equipment takes out its power units and seals the main equipment; every exit is checked,
 * announced and archived (要按规定做好落后产能退出的验收、公告和档案保存工作).
 */
export const DEFAULT_REQUIRED_STEPS: Readonly<Record<ExitMethod, readonly string[]>> = {
  关停: ['power-cut', 'water-cut', 'acceptance', 'announcement', 'archived'],
  停业: ['power-cut', 'water-cut', 'acceptance', 'announcement', 'archived'],
  关闭: ['power-cut', 'water-cut', 'power-equipment-removed', 'acceptance', 'announcement', 'archived'],
  取缔: [
    'power-cut',
    'water-cut',
    'power-equipment-removed',
    'equipment-sealed',
    'acceptance',
    'announcement',
    'archived',
  ],
  拆除: ['power-equipment-removed', 'equipment-sealed', 'acceptance', 'announcement', 'archived'],
};

/** 通报 and 约谈 name a district once it has at least this many items past the stage's offset (the plan may raise it). */
export const DEFAULT_ESCALATION = { minItems: 1 } as const;
