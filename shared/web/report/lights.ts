import { LIGHT, type LightStatus } from '../../domain/board/lights.js';

/** `● 红 未报送` as one inline element. */
export function statusLight(status: LightStatus, word = LIGHT[status].word): string {
  const { light, className } = LIGHT[status];
  return `<span class="light ${className}"><span class="lamp" aria-hidden="true"></span><b>${light}</b> ${word}</span>`;
}
