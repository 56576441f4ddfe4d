import { type DashboardKey, dashboardTitles } from './ids.js';
import { seed000 } from './seed-coverage-000.js';
import { seed002 } from './seed-coverage-002.js';
import { seed003 } from './seed-coverage-003.js';
import { seed004 } from './seed-coverage-004.js';
import type { Place, Seed } from './seed-coverage-item.js';

export const seeds: readonly Seed[] = [seed000, seed002, seed003, seed004];

const shortBoard: Record<DashboardKey, string> = {
  business: 'Business KPIs',
  customerSuccess: 'Customer Success',
  growth: 'Growth & Marketing',
  exporter: 'Exporter health',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function describePlace(place: Place): string {
  if ('panel' in place) return `panel *${place.panel[1]}* (${shortBoard[place.panel[0]]})`;
  if ('alert' in place) return `alert \`${place.alert}\``;
  if ('rule' in place) return `rule \`${place.rule}\``;
  if ('doc' in place) return place.doc;
  return `config \`${place.config}\``;
}

/**
 * Every seed item and where it lives, as markdown tables (one per seed), for
 * docs/alerting.md and grafana/README.md.
 */
export function seedCoverageTables(): string {
  const boards = Object.entries(shortBoard)
    .map(([key, name]) => `${name} = ${dashboardTitles[key as DashboardKey]}`)
    .join('; ');
  const sections = seeds.map((seed) => {
    const rows = seed.items.map((entry) => {
      const where = entry.places.length
        ? entry.places.map(describePlace).join('; ')
        : '**not covered**';
      return `| ${cell(entry.item)} | ${cell(where)} | ${cell(entry.note ?? '')} |`;
    });
    return [
      `### Seed ${seed.id}: ${seed.title}`,
      '',
      '| Seed item | Where it lives | Notes |',
      '| --- | --- | --- |',
      ...rows,
    ].join('\n');
  });
  return [`Boards: ${boards}.`, '', sections.join('\n\n')].join('\n');
}
