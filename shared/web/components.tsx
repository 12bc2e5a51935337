import { LIGHT, type LightStatus } from '../domain/board/lights.js';

/** `● 红 未报送`: the light always carries its word, so it survives greyscale and colour blindness. */
export function Light(props: { status: LightStatus; word?: string }) {
  const light = LIGHT[props.status];
  return (
    <span class={`light ${light.className}`}>
      <span class="lamp" aria-hidden="true" />
      {light.light} {props.word ?? light.word}
    </span>
  );
}

/** One field's problem, in Chinese, and which control it belongs to. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** At the top of a page whose form was refused: every problem, each a link to its field. */
export function ErrorSummary(props: { errors: readonly FieldError[] }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">请检查以下内容</h2>
      <ul>
        {props.errors.map((e) => (
          <li>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface TextFieldProps {
  readonly name: string;
  /** The control's id when a page has several forms with the same field (default: the name). */
  readonly id?: string;
  readonly label: string;
  readonly hint?: string;
  readonly value?: string;
  readonly errors: readonly FieldError[];
  readonly type?: 'text' | 'tel' | 'date' | 'email';
  /** For a date: the earliest one the picker offers (`YYYY-MM-DD`). */
  readonly min?: string;
  readonly multiline?: boolean;
  readonly required?: boolean;
  readonly maxLength: number;
  readonly autocomplete?: string;
}

/** A labelled field with its hint and, when refused, its error beside it. */
export function TextField(props: TextFieldProps) {
  const id = props.id ?? props.name;
  const error = props.errors.find((e) => e.field === id);
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    name: props.name,
    maxlength: props.maxLength,
    ...(props.min ? { min: props.min } : {}),
    ...(props.required ? { required: true } : {}),
    ...(described ? { 'aria-describedby': described } : {}),
    ...(error ? { 'aria-invalid': 'true' } : {}),
    ...(props.autocomplete ? { autocomplete: props.autocomplete } : {}),
  };
  return (
    <div class={error ? 'field error' : 'field'}>
      <label for={id}>
        {props.label}
        {props.required ? '' : '（选填）'}
      </label>
      {props.hint ? (
        <span class="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {error ? (
        <span class="error-message" id={`${id}-error`}>
          {error.message}
        </span>
      ) : null}
      {props.multiline ? (
        <textarea {...common} rows={5}>
          {props.value ?? ''}
        </textarea>
      ) : (
        <input {...common} type={props.type ?? 'text'} value={props.value ?? ''} />
      )}
    </div>
  );
}

/** A form that posts one action with the session's CSRF token (a real button, so it works by keyboard). */
export function ActionButton(props: {
  action: string;
  csrf: string;
  label: string;
  fields?: Record<string, string>;
  variant?: 'secondary' | 'warning' | 'small';
}) {
  return (
    <form method="post" action={props.action} class="inline">
      <input type="hidden" name="_csrf" value={props.csrf} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={`button small ${props.variant ?? ''}`.trim()}>
        {props.label}
      </button>
    </form>
  );
}

/**
 * The two buttons under a 核对 page: confirm what was typed, or go back to change it. Both post the same
 * values (kept in hidden fields, so nothing is lost either way), one with `confirm=yes`, one with `edit=yes`.
 */
export function ConfirmOrEdit(props: {
  action: string;
  csrf: string;
  values: readonly (readonly [name: string, value: string])[];
  confirmLabel: string;
}) {
  const form = (flag: 'confirm' | 'edit', label: string, variant: string) => (
    <form method="post" action={props.action}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.values.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name={flag} value="yes" />
      <button type="submit" class={variant}>
        {label}
      </button>
    </form>
  );
  return (
    <>
      {form('confirm', props.confirmLabel, 'button')}
      {form('edit', '返回修改', 'button secondary')}
    </>
  );
}
