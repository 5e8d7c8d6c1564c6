// The admin CLI's commands as pure data: argv words + options -> one admin API request.
// No I/O here, so the mapping is tested inside the test runtime.

const USAGE = `usage: npm run admin -- [--url URL] <command>

  users create --username U [--password P] [--phone +86...] [--email E] [--name N]
  users get SUB
  users block SUB | users unblock SUB
  users set-password SUB --password P
  users rename SUB --name N
  users delete SUB
  lockout clear SUB
  settings get
  settings set NAME=true|false ...   (username_password_signin, verification_signin, signup)

The admin token is read from ADMIN_API_TOKEN, or from .dev.vars for a local URL.
The URL defaults to EDGE_SIGNIN_URL, else http://127.0.0.1:8787.`;

export class UsageError extends Error {}

const SETTINGS = new Set(["username_password_signin", "verification_signin", "signup"]);

function need(value, what) {
  if (value === undefined || value === "") throw new UsageError(`missing ${what}`);
  return value;
}

const userPath = (sub) => `/auth/v1/admin/users/${encodeURIComponent(need(sub, "SUB"))}`;

/** Returns { method, path, body? } for the command, or throws UsageError. */
export function adminRequest(words, options) {
  const [group, action, target, ...rest] = words;
  const key = `${group ?? ""} ${action ?? ""}`;
  switch (key) {
    case "users create": {
      const body = {};
      for (const [option, field] of [["username", "username"], ["password", "password"], ["phone", "phone_number"], ["email", "email"], ["name", "name"]]) {
        if (options[option] !== undefined) body[field] = options[option];
      }
      if (!body.username && !body.phone_number && !body.email) throw new UsageError("users create needs --username, --phone or --email");
      return { method: "POST", path: "/auth/v1/admin/users", body };
    }
    case "users get":
      return { method: "GET", path: userPath(target) };
    case "users block":
      return { method: "PATCH", path: userPath(target), body: { status: "BLOCKED" } };
    case "users unblock":
      return { method: "PATCH", path: userPath(target), body: { status: "ACTIVE" } };
    case "users set-password":
      return { method: "PATCH", path: userPath(target), body: { password: need(options.password, "--password") } };
    case "users rename":
      return { method: "PATCH", path: userPath(target), body: { name: need(options.name, "--name") } };
    case "users delete":
      return { method: "DELETE", path: userPath(target) };
    case "lockout clear":
      return { method: "DELETE", path: `${userPath(target)}/lockout` };
    case "settings get":
      return { method: "GET", path: "/auth/v1/admin/settings" };
    case "settings set": {
      const body = {};
      for (const pair of [target, ...rest].filter(Boolean)) {
        const [name, value] = pair.split("=");
        if (!SETTINGS.has(name) || !["true", "false"].includes(value)) throw new UsageError(`bad setting ${pair}`);
        body[name] = value === "true";
      }
      if (!Object.keys(body).length) throw new UsageError("settings set needs NAME=true|false");
      return { method: "PATCH", path: "/auth/v1/admin/settings", body };
    }
    default:
      throw new UsageError(words.length ? `unknown command: ${words.join(" ")}` : "no command");
  }
}

export { USAGE };
