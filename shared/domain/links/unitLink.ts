import * as z from 'zod/mini';
import type { Plan } from '../plan/schema.js';
import { SLUG } from '../plan/stages.js';
import { endOfDay } from '../time/wallClock.js';
import type { LinkVersions, MacSigner } from './ports.js';
import { openToken, sealToken } from './signedToken.js';

/**
 * 单位专用链接 — a unit's personal link: it names the plan, the unit, its purpose, the key it was signed
 * with, the unit's link version and an expiry. Opening it proves the bearer holds a notice addressed to
 * that unit alone, so it stands in for an account the unit does not have.
 */
export interface UnitLinkClaims {
  readonly plan: string;
  readonly unit: string;
  readonly keyId: string;
  readonly version: number;
  /** Epoch seconds. */
  readonly expires: number;
}

const slug = z.string().check(z.maxLength(40), z.regex(SLUG));
const claimsSchema = z.strictObject({
  v: z.literal(1),
  p: slug,
  u: slug,
  pu: z.literal('unit'),
  k: z.string().check(z.maxLength(80)),
  lv: z.int().check(z.minimum(1)),
  x: z.int(),
});

/** Days a link stays open after the unit's last deadline: time to deliver late, and to 签收 what came after. */
export const LINK_GRACE_DAYS = 30;

/** The path a link opens: the token is traded for a session there and leaves the URL at once. */
export const linkPath = (token: string) => `/u/${token}`;

/**
 * When a unit's link expires: 30 days after the last deadline of the milestones it is responsible for
 * (paused ones included: they may resume), and never sooner than 30 days from now.
 */
export function defaultLinkExpiry(plan: Pick<Plan, 'timezone' | 'milestones'>, unitId: string, now: number): number {
  const deadlines = plan.milestones
    .filter((m) => m.responsible.includes(unitId))
    .map((m) => endOfDay(m.deadline, plan.timezone));
  const grace = LINK_GRACE_DAYS * 86_400_000;
  return Math.ceil((Math.max(now, ...deadlines) + grace) / 1000);
}

/** Makes the unit's link token (the caller puts it after its portal's base URL with `linkPath`). */
export async function mintUnitLink(signer: MacSigner, claims: Omit<UnitLinkClaims, 'keyId'>): Promise<string> {
  return sealToken(signer, {
    v: 1,
    p: claims.plan,
    u: claims.unit,
    pu: 'unit',
    k: signer.keyId,
    lv: claims.version,
    x: claims.expires,
  });
}

export type LinkCheck =
  | { readonly status: 'valid'; readonly claims: UnitLinkClaims }
  /** Tampered, another key, another purpose, or a version rotated away: one answer for all, so none leaks. */
  | { readonly status: 'refused' }
  /** Genuine but past its expiry: the unit is told how to get a new one. */
  | { readonly status: 'expired'; readonly claims: UnitLinkClaims };

/** Checks a link token: its MAC (in constant time), its key, then the unit's current version, then its expiry. */
export async function checkUnitLink(
  deps: { signer: MacSigner; links: LinkVersions },
  token: string,
  now: number,
): Promise<LinkCheck> {
  const parsed = claimsSchema.safeParse(await openToken(deps.signer, token));
  if (!parsed.success || parsed.data.k !== deps.signer.keyId) return { status: 'refused' };
  const c = parsed.data;
  const claims: UnitLinkClaims = { plan: c.p, unit: c.u, keyId: c.k, version: c.lv, expires: c.x };
  if ((await deps.links.linkVersion(claims.plan, claims.unit)) !== claims.version) return { status: 'refused' };
  if (now >= claims.expires * 1000) return { status: 'expired', claims };
  return { status: 'valid', claims };
}

/** Where links point, and the key that signs them. */
export interface PortalLinks {
  /** The portal's base URL, e.g. `https://duban.example.gov.cn` or `http://127.0.0.1:8010`. */
  readonly baseUrl: string;
  readonly signer: MacSigner;
}

/** A unit's personal link, whole: base URL, path and a fresh token at the unit's current version. */
export async function unitLinkUrl(
  portal: PortalLinks,
  plan: Pick<Plan, 'id' | 'timezone' | 'milestones'> & { readonly linkVersions?: Readonly<Record<string, number>> },
  unitId: string,
  now: number,
): Promise<string> {
  const token = await mintUnitLink(portal.signer, {
    plan: plan.id,
    unit: unitId,
    version: plan.linkVersions?.[unitId] ?? 1,
    expires: defaultLinkExpiry(plan, unitId, now),
  });
  return `${portal.baseUrl.replace(/\/+$/, '')}${linkPath(token)}`;
}

/**
 * The link in a 约谈通知 that opens the unit's 回执 for `milestone`: the unit's own link, at a path that
 * sends the session on to the 回执 form (the receipt routes, `/r/<token>/<milestone>`).
 */
export async function receiptLinkUrl(
  portal: PortalLinks,
  plan: Parameters<typeof unitLinkUrl>[1],
  unitId: string,
  milestoneId: string,
  now: number,
): Promise<string> {
  const url = await unitLinkUrl(portal, plan, unitId, now);
  return `${url.replace(/\/u\/([^/]+)$/, '/r/$1')}/${milestoneId}`;
}

/** The author of what a link's bearer does: `link:<unit>:v<version>`. */
export const linkAuthor = (claims: Pick<UnitLinkClaims, 'unit' | 'version'>) =>
  `link:${claims.unit}:v${claims.version}`;
