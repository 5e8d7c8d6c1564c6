// The bindings, variables and secrets the Worker receives. Values are validated in config.ts.

export interface Env {
  DB: D1Database;
  [name: string]: unknown;
}
