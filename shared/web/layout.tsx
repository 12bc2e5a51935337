import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

export interface LayoutProps {
  readonly title: string;
  /** The plan's title, shown in the header band. */
  readonly planTitle?: string;
  /** Who is signed in (a unit's name, or a person's email), with the sign-out form. */
  readonly who?: { readonly name: string; readonly csrf: string };
  /**
   * A page of people signed in by email (sign-in, board, console) rather than of a unit through its link:
   * it names who is signed in as 当前登录 and has no unit link to warn about.
   */
  readonly staff?: boolean;
  readonly scripts?: readonly string[];
  /** Stylesheets after the portal's own (the office pages add theirs). */
  readonly styles?: readonly string[];
  /** A wider page (the board's grid and timeline). */
  readonly wide?: boolean;
  readonly children?: Child;
}

/** Every page: one heading per page, a skip link, the plan in the header, no third-party asset. */
export function Layout(props: LayoutProps) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="zh-CN">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex, nofollow" />
          <title>{`${props.title} — 督办系统`}</title>
          <link rel="stylesheet" href="/assets/portal.css" />
          {(props.styles ?? []).map((href) => (
            <link rel="stylesheet" href={href} />
          ))}
          {(props.scripts ?? []).map((src) => (
            <script src={src} defer />
          ))}
        </head>
        <body>
          <a class="skip" href="#main">
            跳到正文
          </a>
          <header class="top">
            <p class="org">督办系统</p>
            <p class="title">{props.planTitle ?? '工作计划督办'}</p>
          </header>
          <main id="main" tabindex={-1} class={props.wide ? 'wide' : undefined}>
            {props.children}
          </main>
          <footer class="page">
            {props.who ? (
              <form method="post" action="/logout" class="inline">
                <input type="hidden" name="_csrf" value={props.who.csrf} />
                {props.staff ? '当前登录' : '当前单位'}：{props.who.name}。
                <button type="submit" class="button small secondary">
                  退出
                </button>
              </form>
            ) : null}
            <p>
              {props.staff ? '本页面由督办系统提供。' : '本页面由督办系统提供。专用链接仅供收件单位使用，请勿转发。'}
            </p>
          </footer>
        </body>
      </html>
    </>
  );
}
