// Worker entry: the app as the default export, and the Durable Object classes beside it.
import { createApp } from "./app";

export { AccountGuard } from "./lockout/account-guard-object";
export { RateWindow } from "./limits/rate-window-object";

const app = createApp();

export default app;
