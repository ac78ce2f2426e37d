// Mocha root hooks: the tfjs backend is ready before any test runs.
import { ready } from '../lib/backend';

export const mochaHooks = {
  async beforeAll() {
    await ready({ quiet: !!process.env.COURSE_QUIET_BACKEND });
  },
};
