import { ErrorSummary, type FieldError, TextField } from '../components.js';
import { Layout } from '../layout.js';

/** 登录: one field, the address; the answer is the same whether or not the address is known. */
export function LoginPage(props: { email?: string; errors?: readonly FieldError[] }) {
  const errors = props.errors ?? [];
  return (
    <Layout title="登录督办系统" staff>
      <ErrorSummary errors={errors} />
      <h1>登录督办系统</h1>
      <p class="lead">
        供督办办公室、分管领导、单位负责人和接收单位使用。输入您在工作计划中登记的电子邮箱，系统将发送一次性登录链接（15
        分钟内有效，仅可使用一次）。各责任单位请使用督办通知邮件中的专用链接。
      </p>
      <form method="post" action="/login" novalidate>
        <TextField
          name="email"
          label="电子邮箱"
          hint="例如 supervisor@jiangmen.example"
          value={props.email ?? ''}
          errors={errors}
          required
          maxLength={254}
          autocomplete="email"
        />
        <button type="submit" class="button">
          发送登录链接
        </button>
      </form>
    </Layout>
  );
}

/** After a request: the same words for a known address, an unknown one and one that asked too often. */
export const LoginSentPage = () => (
  <Layout title="请查收登录邮件" staff>
    <div class="notice-panel">
      <h1>请查收登录邮件</h1>
    </div>
    <p>如果该邮箱已在工作计划中登记，登录链接已发送至该邮箱，15 分钟内有效，仅可使用一次。</p>
    <p>未收到邮件？请检查垃圾邮件箱，或稍后重新申请。</p>
  </Layout>
);

/** Opening the emailed link shows this page: the sign-in happens only on the button (mail scanners prefetch). */
export const ConfirmLoginPage = (props: { token: string }) => (
  <Layout title="确认登录" staff>
    <h1>确认登录</h1>
    <p>请点击下方按钮完成登录。登录状态保持 8 小时，在公用电脑上使用后请退出。</p>
    <form method="post" action="/login/confirm">
      <input type="hidden" name="token" value={props.token} />
      <button type="submit" class="button">
        登录
      </button>
    </form>
  </Layout>
);

export const LoginRefusedPage = () => (
  <Layout title="登录链接无效" staff>
    <h1>登录链接无效</h1>
    <p>此登录链接已使用、已过期或无效。登录链接 15 分钟内有效，仅可使用一次。</p>
    <p>
      <a href="/login">重新申请登录链接</a>
    </p>
  </Layout>
);

export const TooManySignInsPage = () => (
  <Layout title="请求过于频繁" staff>
    <h1>请求过于频繁</h1>
    <p>登录申请次数过多，请 15 分钟后再试。</p>
  </Layout>
);

/** The plans a signed-in person has a part in. */
export function PlansPage(props: {
  email: string;
  csrf: string;
  plans: readonly { id: string; title: string; roles: string }[];
}) {
  return (
    <Layout title="我的督办计划" staff who={{ name: props.email, csrf: props.csrf }}>
      <h1>我的督办计划</h1>
      {props.plans.length === 0 ? (
        <p>您目前没有可查看的计划。</p>
      ) : (
        <ul>
          {props.plans.map((p) => (
            <li>
              <a href={`/plans/${p.id}`}>{p.title}</a>（{p.roles}）
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
