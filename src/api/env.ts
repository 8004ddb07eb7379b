import type { Principal } from '../auth/auth-store';
import type { Services } from '../core/services';

/** Hono context variables set by middleware: the services of this process and the authenticated caller. */
export interface AppEnv {
  Variables: {
    services: Services;
    principal: Principal;
    requestId: string;
  };
}
