import type { FastifyInstance } from 'fastify';
import type { Exporter } from '../engine/exporter.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** GET / : a page listing collectors and their state. It shows no configuration, so no secrets. */
export function registerLandingPage(
  app: FastifyInstance,
  exporter: Exporter,
  notice?: string,
): void {
  app.get('/', async (_request, reply) => {
    const rows = exporter.runners
      .map(({ currentStatus: s }) => {
        const state = s.lastSuccess === undefined ? 'pending' : s.lastSuccess ? 'ok' : 'failing';
        return `<tr><td>${escapeHtml(s.name)}</td><td class="${state}">${state}</td><td>${
          s.lastSuccessAt ? s.lastSuccessAt.toISOString() : 'never'
        }</td><td>${s.series}</td><td>${escapeHtml(s.schedule)}</td><td>${escapeHtml(s.description)}</td></tr>`;
      })
      .join('\n');
    const banner = notice ? `<p class="notice">${escapeHtml(notice)}</p>` : '';
    return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>chom-exporter</title>
<style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 10px;text-align:left}.ok{color:#2a7}.failing{color:#c33}.notice{background:#ffd;padding:8px}</style>
</head><body><h1>chom-exporter</h1>${banner}
<p><a href="/metrics">/metrics</a> · <a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a></p>
<table><thead><tr><th>collector</th><th>state</th><th>last success</th><th>series</th><th>schedule</th><th>what</th></tr></thead>
<tbody>${rows}</tbody></table></body></html>`);
  });
}
