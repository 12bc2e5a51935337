import { Layout } from '../layout.js';

/** A page that explains, in one heading and a sentence or two, why nothing more can be shown. */
function Message(props: { title: string; lines: readonly string[] }) {
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      {props.lines.map((line) => (
        <p>{line}</p>
      ))}
    </Layout>
  );
}

/** The same page for a tampered, unknown or rotated link: it says nothing about whether the unit exists. */
export const LinkRefusedPage = () => (
  <Message
    title="链接无效"
    lines={['此链接无效或已停用。请使用督办通知邮件中最新的专用链接。', '如仍无法访问，请联系督办办公室重新发送链接。']}
  />
);

export const LinkExpiredPage = () => (
  <Message
    title="链接已过期"
    lines={[
      '此专用链接已超过有效期。后续督办通知邮件会附带新的链接。',
      '如需立即报送或签收，请联系督办办公室重新发送贵单位的专用链接。',
    ]}
  />
);

export const SignedOutPage = () => (
  <Message title="尚未登录或登录已过期" lines={['请通过督办通知邮件中的专用链接重新进入本系统。']} />
);

export const ForbiddenPage = () => <Message title="无权访问" lines={['您无权查看此页面。']} />;

export const NotFoundPage = () => <Message title="页面不存在" lines={['您访问的页面不存在，请检查网址。']} />;

export const TooManyPage = () => <Message title="请求过于频繁" lines={['无效链接尝试次数过多，请稍后再试。']} />;

export const ErrorPage = (props: { requestId: string }) => (
  <Message
    title="系统暂时无法处理"
    lines={['请稍后再试。如问题持续，请联系督办办公室，并告知编号：', props.requestId]}
  />
);

export const SignedOutDonePage = () => <Message title="已退出" lines={['您已退出督办系统。']} />;

export const HomePage = () => (
  <Message
    title="督办系统"
    lines={['各责任单位请通过督办通知邮件中的专用链接进入本单位的督办页面，签收通知、在线报送材料。']}
  />
);
