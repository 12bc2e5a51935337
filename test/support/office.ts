import { fetchMailbox } from '../../shared/adapters/local/embeddedStack.js';
import { endpoints } from './stack.js';

/** The sign-in link in the newest email to `address` in the local SES mailbox (the run shares one mailbox). */
export async function signInLinkFor(address: string): Promise<string | undefined> {
  const mails = (await fetchMailbox(endpoints())).filter(
    (e) => e.destination.to.includes(address) && e.subject === '督办系统登录链接',
  );
  return /https?:\/\/\S+\/login\/[A-Za-z0-9_.-]+/.exec(mails.at(-1)?.body.text ?? '')?.[0];
}

/** The seed plan's office (its `admins`) and the supervisor of 江海区 (who supervises that unit alone). */
export const ADMIN = 'duban-office@gxj.jiangmen.example';
export const JIANGHAI_SUPERVISOR = 'supervisor@jianghai.jiangmen.example';
