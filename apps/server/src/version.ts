// Build information reported by /api/v1/status/buildinfo and prometheus_build_info.
export const BUILD_INFO = {
  version: '0.1.0',
  revision: process.env.PROMETHIUM_REVISION ?? 'unknown',
  branch: process.env.PROMETHIUM_BRANCH ?? 'unknown',
  buildUser: 'promethium',
  buildDate: process.env.PROMETHIUM_BUILD_DATE ?? 'unknown',
  goVersion: `node${process.versions.node}`,
};
