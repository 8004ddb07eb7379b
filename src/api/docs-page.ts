import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/**
 * `/docs`: the OpenAPI document rendered as a plain page, on the server, with no script and nothing fetched from a CDN
 * (these machines and many customers' networks reach none). Every string from the spec is escaped by `html`.
 */
type Json = Record<string, unknown>;

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

const asObject = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});

export function renderDocsPage(spec: Json): HtmlEscapedString | Promise<HtmlEscapedString> {
  const info = asObject(spec.info);
  const paths = asObject(spec.paths);
  const operations = Object.entries(paths).flatMap(([path, item]) =>
    methods
      .filter((m) => m in asObject(item))
      .map((method) => ({ path, method, op: asObject(asObject(item)[method]) })),
  );
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${String(info.title ?? 'API')} — reference</title>
    <style>
      body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
      code, pre { font-family: ui-monospace, monospace; font-size: 13px; }
      pre { background: #f5f5f5; padding: .75rem; overflow-x: auto; border-radius: 4px; }
      section { border-top: 1px solid #ddd; padding: 1rem 0; }
      .method { display: inline-block; min-width: 4rem; font-weight: 700; text-transform: uppercase; }
      table { border-collapse: collapse; } td, th { text-align: left; padding: .2rem .6rem .2rem 0; vertical-align: top; }
    </style>
  </head>
  <body>
    <h1>${String(info.title ?? 'API')} <small>${String(info.version ?? '')}</small></h1>
    <p>${String(info.description ?? '')}</p>
    <p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${String(spec.openapi ?? '')}).</p>
    ${operations.map(({ path, method, op }) => {
      const params = Array.isArray(op.parameters) ? (op.parameters as Json[]) : [];
      const responses = Object.entries(asObject(op.responses));
      const body = asObject(asObject(op.requestBody).content);
      return html`<section id="${method}-${path}">
        <h2><span class="method">${method}</span> <code>${path}</code></h2>
        <p><strong>${String(op.summary ?? '')}</strong></p>
        ${op.description ? html`<p>${String(op.description)}</p>` : ''}
        ${
          params.length
            ? html`<h3>Parameters</h3><table>${params.map(
                (p) =>
                  html`<tr><td><code>${String(p.name)}</code></td><td>${String(p.in)}</td><td>${
                    p.required ? 'required' : 'optional'
                  }</td></tr>`,
              )}</table>`
            : ''
        }
        ${Object.entries(body).map(
          ([type, media]) =>
            html`<h3>Request body <code>${type}</code></h3><pre>${JSON.stringify(asObject(media).schema, null, 2)}</pre>`,
        )}
        <h3>Responses</h3>
        <table>${responses.map(
          ([status, r]) =>
            html`<tr><td><code>${status}</code></td><td>${String(asObject(r).description ?? '')}</td></tr>`,
        )}</table>
      </section>`;
    })}
    <section><h2>Schemas</h2>${Object.entries(asObject(asObject(spec.components).schemas)).map(
      ([name, schema]) =>
        html`<h3 id="schema-${name}">${name}</h3><pre>${JSON.stringify(schema, null, 2)}</pre>`,
    )}</section>
    ${raw('')}
  </body>
</html>`;
}
