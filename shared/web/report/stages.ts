import type { NoticeKind } from '../../domain/plan/stages.js';

export type MarkShape = 'circle' | 'triangle' | 'square' | 'diamond' | 'star';

/**
 * Each stage has its own colour AND shape, so the timeline still reads in greyscale print and for
 * colour-blind readers. The hues stay clear of the 红/黄/绿 status lights to avoid mixing the two.
 */
export const STAGE_STYLE: Record<NoticeKind, { color: string; shape: MarkShape }> = {
  reminder: { color: '#2f6db5', shape: 'circle' },
  due: { color: '#0f8b8d', shape: 'triangle' },
  overdue: { color: '#d9731a', shape: 'square' },
  circular: { color: '#7a4cb3', shape: 'diamond' },
  summons: { color: '#8e1b3a', shape: 'star' },
  // Replies are not steps of the ladder: one quiet mark for all of them.
  accepted: { color: '#5f6b73', shape: 'circle' },
  returned: { color: '#5f6b73', shape: 'circle' },
  'extension-approved': { color: '#5f6b73', shape: 'circle' },
  'extension-rejected': { color: '#5f6b73', shape: 'circle' },
};

const round = (n: number) => Math.round(n * 10) / 10;

/** SVG markup of a shape centred on (x, y) with radius r. */
export function shapeMarkup(shape: MarkShape, x: number, y: number, r: number, attrs: string): string {
  switch (shape) {
    case 'circle':
      return `<circle cx="${round(x)}" cy="${round(y)}" r="${r}" ${attrs}/>`;
    case 'square':
      return `<rect x="${round(x - r * 0.9)}" y="${round(y - r * 0.9)}" width="${round(r * 1.8)}" height="${round(r * 1.8)}" ${attrs}/>`;
    case 'triangle':
      return polygon(
        [
          [x, y - r * 1.1],
          [x + r * 1.1, y + r * 0.85],
          [x - r * 1.1, y + r * 0.85],
        ],
        attrs,
      );
    case 'diamond':
      return polygon(
        [
          [x, y - r * 1.25],
          [x + r * 1.1, y],
          [x, y + r * 1.25],
          [x - r * 1.1, y],
        ],
        attrs,
      );
    case 'star': {
      const points: [number, number][] = [];
      for (let i = 0; i < 10; i++) {
        const radius = i % 2 === 0 ? r * 1.35 : r * 0.6;
        const angle = -Math.PI / 2 + (i * Math.PI) / 5;
        points.push([x + radius * Math.cos(angle), y + radius * Math.sin(angle)]);
      }
      return polygon(points, attrs);
    }
  }
}

function polygon(points: [number, number][], attrs: string): string {
  return `<polygon points="${points.map(([px, py]) => `${round(px)},${round(py)}`).join(' ')}" ${attrs}/>`;
}

/** A small standalone SVG of a stage's mark, for legends and badges outside the timeline. */
export function stageIcon(stage: NoticeKind, size = 12): string {
  const { color, shape } = STAGE_STYLE[stage];
  const c = size / 2;
  return `<svg class="icon" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" aria-hidden="true">${shapeMarkup(shape, c, c, size * 0.34, `fill="${color}"`)}</svg>`;
}
