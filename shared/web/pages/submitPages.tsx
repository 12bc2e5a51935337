import type { StoredObject, UploadForm } from '../../domain/attachments/ports.js';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, uploadName } from '../../domain/attachments/types.js';
import { chineseDate } from '../../domain/notices/chineseDate.js';
import { phrased } from '../../domain/notices/wording.js';
import type { Milestone, Unit } from '../../domain/plan/schema.js';
import type { StoredPlan, Submission } from '../../domain/ports.js';
import { ActionButton, ConfirmOrEdit, ErrorSummary, type FieldError, TextField } from '../components.js';
import { fileSize, zhDateTime } from '../format.js';
import { Layout } from '../layout.js';
import { SubmittedBox } from './unitPage.js';

/** What the 报送 form holds: the unit's own words, as typed. */
export interface SubmitValues {
  readonly ref?: string;
  readonly contact?: string;
  readonly phone?: string;
  readonly note?: string;
}

interface Common {
  readonly plan: StoredPlan;
  readonly unit: Unit;
  readonly milestone: Milestone;
  readonly csrf: string;
}

const milestonePath = (c: Common) => `/plans/${c.plan.id}/units/${c.unit.id}/milestones/${c.milestone.id}`;
const backLink = (c: Common) => (
  <p>
    <a href={`/plans/${c.plan.id}/units/${c.unit.id}`}>返回督办事项</a>
  </p>
);

export interface SubmitPageProps extends Common {
  readonly values: SubmitValues;
  readonly errors: readonly FieldError[];
  readonly uploads: readonly StoredObject[];
  /** The submission that already counts: shown instead of the form (a unit submits once). */
  readonly existing?: Submission;
  readonly flash?: string;
}

/** 报送: the attachments first (each straight to storage), then 文号, 联系人, phone and a note. */
export function SubmitPage(props: SubmitPageProps) {
  const { plan, unit, milestone, csrf, values, errors, uploads } = props;
  const path = milestonePath(props);
  const title = `报送：${milestone.title}`;
  if (props.existing) {
    return (
      <Layout title={title} planTitle={plan.title} who={{ name: unit.name, csrf }}>
        <h1>{title}</h1>
        <p>贵单位已报送本事项，无需重复报送。如需更正，请联系督办办公室。</p>
        <SubmittedBox submission={props.existing} zone={plan.timezone} />
        {backLink(props)}
      </Layout>
    );
  }
  const types = ATTACHMENT_TYPES.map((t) => ({ id: t.id, extensions: t.extensions }));
  return (
    <Layout title={title} planTitle={plan.title} who={{ name: unit.name, csrf }} scripts={['/assets/upload.js']}>
      <ErrorSummary errors={errors} />
      {props.flash ? (
        <p class="flash" role="status">
          {props.flash}
        </p>
      ) : null}
      <h1>{title}</h1>
      <p class="lead">
        报送材料：{phrased(milestone.deliverable, unit)}。截止时间：{chineseDate(milestone.deadline)}（当日24时前）。
      </p>
      <section class="card" aria-labelledby="files-title">
        <h2 id="files-title">附件</h2>
        <p class="hint">
          最多{MAX_ATTACHMENTS}个文件，每个不超过{MAX_ATTACHMENT_BYTES / 1024 / 1024}MB；可上传
          PDF、OFD、Word、Excel、WPS、ZIP、JPG、PNG 文件。
        </p>
        {uploads.length === 0 ? (
          <p>尚未上传附件。</p>
        ) : (
          <ul class="files" id="attachments">
            {uploads.map((u) => (
              <li>
                <span>
                  {uploadName(u.key)}（{fileSize(u.size)}）
                </span>
                <ActionButton
                  action={`${path}/remove`}
                  csrf={csrf}
                  label="移除"
                  variant="secondary"
                  fields={{ key: u.key }}
                />
              </li>
            ))}
          </ul>
        )}
        {uploads.length < MAX_ATTACHMENTS ? (
          <div id="add-attachment" data-types={JSON.stringify(types)} data-form-url={`${path}/upload-form`}>
            <form method="get" action={`${path}/upload`} class="no-script">
              <div class="field">
                <label for="type">添加附件：先选择文件类型</label>
                <select id="type" name="type">
                  {ATTACHMENT_TYPES.map((t) => (
                    <option value={t.id}>{t.label}</option>
                  ))}
                </select>
              </div>
              <button type="submit" class="button secondary">
                下一步：选择文件
              </button>
            </form>
            <p id="upload-status" role="status" aria-live="polite" />
          </div>
        ) : (
          <p>已达附件数量上限。</p>
        )}
      </section>
      <form method="post" action={`${path}/submit`} novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <TextField
          name="ref"
          label="文号"
          hint="所报送文件的发文字号，如：恩府函〔2021〕15号"
          value={values.ref}
          errors={errors}
          required
          maxLength={100}
        />
        <TextField
          name="contact"
          label="联系人"
          value={values.contact}
          errors={errors}
          maxLength={40}
          autocomplete="name"
        />
        <TextField
          name="phone"
          label="联系电话"
          hint="如：0750-3500000 或 13800000000"
          type="tel"
          value={values.phone}
          errors={errors}
          maxLength={30}
          autocomplete="tel"
        />
        <TextField name="note" label="说明" value={values.note} errors={errors} multiline maxLength={2000} />
        <button type="submit" class="button">
          下一步：核对报送内容
        </button>
      </form>
      {backLink(props)}
    </Layout>
  );
}

/** Without a script: the file chooser, posting straight to storage with the form signed for one file type. */
export function UploadPage(props: Common & { form: UploadForm; typeLabel: string }) {
  const { plan, unit, milestone, csrf, form } = props;
  return (
    <Layout title={`上传附件：${milestone.title}`} planTitle={plan.title} who={{ name: unit.name, csrf }}>
      <h1>上传附件</h1>
      <p class="lead">
        文件类型：{props.typeLabel}。文件不超过{MAX_ATTACHMENT_BYTES / 1024 / 1024}MB。
      </p>
      <form method="post" action={form.url} enctype="multipart/form-data">
        {Object.entries(form.fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <div class="field">
          <label for="file">选择文件</label>
          <input type="file" id="file" name="file" required />
        </div>
        <button type="submit" class="button">
          上传
        </button>
      </form>
      <p>
        <a href={`${milestonePath(props)}/submit`}>返回报送页面</a>
      </p>
    </Layout>
  );
}

/** 核对: everything the submission will record, before anything is recorded. */
export function CheckPage(props: Common & { values: SubmitValues; uploads: readonly StoredObject[] }) {
  const { plan, unit, milestone, csrf, values, uploads } = props;
  const path = milestonePath(props);
  return (
    <Layout title={`核对报送内容：${milestone.title}`} planTitle={plan.title} who={{ name: unit.name, csrf }}>
      <h1>核对报送内容</h1>
      <p class="lead">请核对以下内容。确认报送后即记录报送时间，本事项对贵单位的督办即行停止。</p>
      <section class="card check">
        <dl>
          <dt>事项</dt>
          <dd>{milestone.title}</dd>
          <dt>报送单位</dt>
          <dd>{unit.name}</dd>
          <dt>文号</dt>
          <dd>{values.ref}</dd>
          <dt>联系人</dt>
          <dd>{values.contact || '—'}</dd>
          <dt>联系电话</dt>
          <dd>{values.phone || '—'}</dd>
          <dt>说明</dt>
          <dd>{values.note || '—'}</dd>
          <dt>附件</dt>
          <dd>
            {uploads.length === 0
              ? '无'
              : uploads.map((u) => (
                  <span>
                    {uploadName(u.key)}（{fileSize(u.size)}）
                    <br />
                  </span>
                ))}
          </dd>
        </dl>
      </section>
      <ConfirmOrEdit
        action={`${path}/submit`}
        csrf={csrf}
        values={(['ref', 'contact', 'phone', 'note'] as const).map((name) => [name, values[name] ?? ''] as const)}
        confirmLabel="确认报送"
      />
    </Layout>
  );
}

/** 报送成功: what was recorded, and when (the server's time). */
export function DonePage(props: Common & { submission: Submission }) {
  const { plan, unit, milestone, csrf, submission } = props;
  return (
    <Layout title={`已报送：${milestone.title}`} planTitle={plan.title} who={{ name: unit.name, csrf }}>
      <div class="notice-panel" role="status">
        <h1>报送成功</h1>
        <p>报送时间：{zhDateTime(submission.at, plan.timezone)}</p>
      </div>
      <p>
        “{milestone.title}”已报送，本事项对贵单位的督办已停止。{milestone.recipient ? '接收单位将进行审核。' : ''}
      </p>
      <SubmittedBox submission={submission} zone={plan.timezone} />
      {backLink(props)}
    </Layout>
  );
}
