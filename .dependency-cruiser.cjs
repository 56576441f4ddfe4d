/**
 * Import boundaries, checked by `npm run deps` in CI (.ci/run). The layers,
 * lowest first; a module may import its own layer and the ones below it:
 *
 *   shared, metrics, version, logger, net  (no project imports above them)
 *   config                                 (a leaf of sections: no collector, billing, engine)
 *   sources, db                            (SQL clients and the column contract)
 *   billing                                (owns Stripe, the mirror, its counters and webhooks)
 *   collectors                             (the KPIs; the registry and its settings schema)
 *   engine                                 (runners, schedules, exporter: nothing of Stripe)
 *   http                                   (routes over the exporter)
 *   app                                    (config assembly and the composition root)
 *   serve, once, cli, backfill, generate   (commands)
 *
 * Tests (*.test.ts) may import across layers; src never imports test/.
 */
const layer = (name, folders) => ({ name, path: `^src/(${folders.join('|')})(/|\\.ts$)` });
const layers = [
  layer('shared', ['shared', 'metrics', 'version', 'logger', 'net']),
  layer('config', ['config']),
  layer('sources', ['sources', 'db']),
  layer('billing', ['billing']),
  layer('collectors', ['collectors']),
  layer('engine', ['engine']),
  layer('http', ['http']),
  layer('app', ['app']),
];
const notTests = '\\.test\\.ts$';

/** One rule per layer: nothing in it imports a layer above it. */
const upward = layers.slice(0, -1).map((lower, index) => ({
  name: `no-upward-from-${lower.name}`,
  comment: `${lower.name} is below ${layers
    .slice(index + 1)
    .map((l) => l.name)
    .join(', ')}: imports run down only`,
  severity: 'error',
  from: { path: lower.path, pathNot: notTests },
  to: {
    path: [
      ...layers.slice(index + 1).map((higher) => higher.path),
      '^src/(serve|once|cli)\\.ts$',
      '^src/(backfill|generate|dashboards|deploy|demo)/',
    ],
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import circles make every file in them load (and change) together.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'config-is-a-leaf',
      comment:
        'config/ holds the sections of the configuration; app/config.ts assembles them with the collectors. Loading config pulls in no collector, billing or engine.',
      severity: 'error',
      from: { path: '^src/config/', pathNot: notTests },
      to: { path: '^src/', pathNot: ['^src/(config|shared)/', '^src/kpi/kpi-[a-z-]+\\.ts$'] },
    },
    {
      name: 'engine-knows-no-stripe',
      comment: 'The engine runs any collector; Stripe is billing business.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: ['^src/billing/', '^node_modules/stripe/'] },
    },
    {
      name: 'engine-reaches-no-stripe',
      comment:
        'Not even through the collector registry (which holds billing): the composition root (app/service.ts) hands the engine the collectors it runs. The engine does reach billing types, through the sources bundle it passes on.',
      severity: 'error',
      from: { path: '^src/engine/', pathNot: notTests },
      to: {
        path: ['^node_modules/stripe/', '^src/billing/stripe-', '^src/collectors/index\\.ts$'],
        reachable: true,
      },
    },
    {
      name: 'src-not-to-test',
      comment:
        'Test fixtures and helpers live under test/ and never ship (unit tests beside the code may use them).',
      severity: 'error',
      from: { path: '^src/', pathNot: notTests },
      to: { path: '^test/' },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
