// Placeholder entry so the CDK app can bundle; replaced by the real handler in this session.
export const handler = async (): Promise<never> => {
  throw new Error('not implemented yet');
};
