// GET /auth/v1/openapi.json (the OpenAPI 3.1 document, built once per isolate) and GET
// /auth/v1/docs (the API reference page). The page is a few lines of HTML; the renderer
// (Swagger UI) and the script that starts it are static assets under /auth/v1/docs/, served by
// Workers Static Assets from ./public, so none of it is in the Worker bundle and nothing is
// fetched from another origin.
import type { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { openApiJson } from "../openapi/document";
import { endpoint, operation } from "./operation";

/** Only this origin's scripts, styles, images (and data: images of the renderer), and fetches. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edge-signin API reference</title>
<link rel="icon" type="image/png" href="docs/vendor/favicon-32x32.png">
<link rel="stylesheet" href="docs/vendor/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-spec="openapi.json"></div>
<script src="docs/vendor/swagger-ui-bundle.js"></script>
<script src="docs/start.js"></script>
</body>
</html>
`;

export function registerDocs(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/openapi.json", {
    GET: operation({
      operationId: "getOpenApi",
      tag: "Docs",
      summary: "This OpenAPI 3.1 document",
      success: {
        status: 200,
        description: "The document",
        contentType: "application/json; charset=utf-8",
        headers: { "Cache-Control": "public, max-age=300" },
      },
      errors: [],
      handle: () => openApiJson(),
    }),
  });
  endpoint(app, "/auth/v1/docs", {
    GET: operation({
      operationId: "getDocsPage",
      tag: "Docs",
      summary: "The API reference page (rendered from this document)",
      success: {
        status: 200,
        description: "An HTML page",
        contentType: "text/html; charset=UTF-8",
        headers: {
          "Content-Security-Policy": DOCS_CSP,
          "X-Content-Type-Options": "nosniff",
          "Referrer-Policy": "no-referrer",
          "Cache-Control": "public, max-age=300",
        },
      },
      errors: [],
      handle: () => DOCS_PAGE,
    }),
  });
}
