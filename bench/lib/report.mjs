/** The printed table and the SVG chart (hand-written, no dependency). */

const fmt = (x, digits = 1) => (x === null || x === undefined ? '-' : x.toFixed(digits));

const codesText = (codes) =>
  Object.entries(codes ?? {})
    .map(([code, n]) => `${code}×${n}`)
    .join(' ') || '-';

/** A paired ratio: the median over the rounds, with their range when there were several. */
const pairedText = (r, what) =>
  `${fmt(r.median, 2)}× ${what}` +
  (r.ratios.length > 1 ? ` (${fmt(r.min, 2)}–${fmt(r.max, 2)})` : '');

const ratioText = (s) => {
  if (s.vsRaw !== undefined)
    return (
      pairedText(s.vsRaw, 'raw') +
      (s.vsCeiling !== undefined ? `; ${pairedText(s.vsCeiling, 'ceiling')}` : '')
    );
  if (s.vsCheapHash !== undefined) return pairedText(s.vsCheapHash, 'cheap hash');
  if (s.vsOff !== undefined)
    return pairedText(s.vsOff, s.id === 'webhooks-on' ? 'no webhook' : 'metrics off');
  if (s.vsJson !== undefined) return pairedText(s.vsJson, 'JSON');
  return '';
};

export function printTable(scenarios) {
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'other codes',
    'ratio',
    'CPU ms/req: svc',
    'db',
    'client',
  ];
  const rows = scenarios.map((s) => [
    s.label,
    fmt(s.rps, 0),
    fmt(s.p50, 2),
    fmt(s.p99, 2),
    String(s.errors),
    codesText(s.otherCodes),
    ratioText(s),
    fmt(s.cpuMsPerRequest?.service, 2),
    fmt(s.cpuMsPerRequest?.database, 2),
    fmt(s.clientCpuMs / s.completed, 2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** With BENCH_PG_STAT_STATEMENTS=1: the statements one request costs, per scenario. */
export function printStatements(scenarios) {
  for (const s of scenarios) {
    if (!s.statements) continue;
    console.log(`\n${s.label}: ${s.statements.perRequest} statements per request`);
    for (const t of s.statements.top) {
      console.log(
        `  ${fmt(t.perRequest, 2).padStart(5)} × ${fmt(t.meanMs, 3).padStart(7)} ms  ${t.query}`,
      );
    }
  }
}

export function printTargets(targets) {
  for (const t of targets) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured}`);
}

const COLORS = {
  ceiling: '#6b4fa0',
  raw: '#9a9a9a',
  service: '#2f6db0',
  xml: '#5a9e4b',
  auth: '#d9822b',
  base: '#9a9a9a',
  scaled: '#2f6db0',
  during: '#d9822b',
};
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

function niceMax(value) {
  if (!(value > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * step >= value) return m * step;
  return 10 * step;
}

/** One grouped bar chart; groups: [{ label, bars: [{ series, value }] }]. */
function barChart({ top, width, height, title, groups, digits }) {
  const left = 56;
  const plotW = width - left - 16;
  const plotTop = top + 28;
  const plotH = height - 28 - 34;
  const max = niceMax(Math.max(...groups.flatMap((g) => g.bars.map((b) => b.value ?? 0))) * 1.08);
  const y = (v) => plotTop + plotH - (v / max) * plotH;
  const out = [`<text x="${left}" y="${top + 16}" class="t">${esc(title)}</text>`];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    out.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="g"/>`,
      `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" class="a" text-anchor="end">${+v.toFixed(1)}</text>`,
    );
  }
  const slot = plotW / groups.length;
  groups.forEach((g, gi) => {
    const barW = Math.min(34, (slot - 16) / g.bars.length);
    const x0 = left + gi * slot + (slot - barW * g.bars.length) / 2;
    g.bars.forEach((b, bi) => {
      if (b.value === null || b.value === undefined) return;
      const x = x0 + bi * barW;
      const yTop = y(b.value);
      out.push(
        `<rect x="${x.toFixed(1)}" y="${yTop.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(plotTop + plotH - yTop).toFixed(1)}" fill="${COLORS[b.series]}"/>`,
        `<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(yTop - 3).toFixed(1)}" class="v" text-anchor="middle">${b.value.toFixed(digits)}</text>`,
      );
    });
    out.push(
      `<text x="${(left + gi * slot + slot / 2).toFixed(1)}" y="${plotTop + plotH + 16}" class="a" text-anchor="middle">${esc(g.label)}</text>`,
    );
  });
  return out.join('\n');
}

export function renderSvg(results) {
  const byId = new Map(results.scenarios.map((s) => [s.id, s]));
  const shapes = ['spread-16', 'spread-64', 'hot-16', 'hot-64'];
  const auth = [
    ['auth-cached', 'auth: cached'],
    ['auth-nocache-cheap', 'no cache, cheap hash'],
    ['auth-nocache-scrypt', 'no cache, scrypt'],
  ];
  const groups = (metric) => [
    ...shapes.map((shape) => ({
      label: shape.replace('-', ' · '),
      bars: [
        ...(byId.has(`ceiling-${shape}`)
          ? [{ series: 'ceiling', value: byId.get(`ceiling-${shape}`)[metric] }]
          : []),
        { series: 'raw', value: byId.get(`raw-${shape}`)?.[metric] },
        { series: 'service', value: byId.get(`service-${shape}`)?.[metric] },
      ],
    })),
    {
      label: 'JSON · XML',
      bars: [
        { series: 'service', value: byId.get('json-spread-16')?.[metric] },
        { series: 'xml', value: byId.get('xml-spread-16')?.[metric] },
      ],
    },
    ...auth.map(([id, label]) => ({
      label,
      bars: [{ series: 'auth', value: byId.get(id)?.[metric] }],
    })),
  ];
  const m = results.machine;
  return chartSvg({
    title: 'Redeem benchmark',
    legend: [
      ['ceiling', 'pgbench ceiling'],
      ['raw', 'raw pg'],
      ['service', 'service (HTTP)'],
      ['xml', 'service, XML'],
      ['auth', 'service, auth variants'],
    ],
    legendX: 180,
    legendStep: 130,
    subtitle: `${m.cpus} CPUs · Node ${m.node} · ${results.database.kind} PostgreSQL ${results.database.version} · ${m.date.slice(0, 10)} · 1 point per request · medians of ${results.settings.rounds} rounds · targets: ${results.targets.filter((t) => t.pass).length}/${results.targets.length} pass`,
    groups,
  });
}

/** A titled chart of throughput above p99, with its legend and a line of context. */
function chartSvg({ title, legend, legendX, legendStep, subtitle, groups }) {
  const width = 860;
  const keys = legend
    .map(
      ([series, text], i) =>
        `<rect x="${legendX + i * legendStep}" y="12" width="12" height="12" fill="${COLORS[series]}"/><text x="${legendX + 18 + i * legendStep}" y="22" class="a">${esc(text)}</text>`,
    )
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="620" viewBox="0 0 ${width} 620" font-family="sans-serif">
<style>.t{font-size:14px;font-weight:bold}.a{font-size:11px;fill:#333}.v{font-size:10px;fill:#111}.g{stroke:#ddd}</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="16" y="22" class="t">${esc(title)}</text>
${keys}
<text x="16" y="40" class="a">${esc(subtitle)}</text>
${barChart({ top: 50, width, height: 280, title: 'Throughput (req/s, higher is better)', groups: groups('rps'), digits: 0 })}
${barChart({ top: 335, width, height: 280, title: 'p99 latency (ms, lower is better)', groups: groups('p99'), digits: 1 })}
</svg>
`;
}

/** bench/results/scale.svg: the three requests at the base size and grown, and under load. */
export function renderScaleSvg(results) {
  const { base, customers } = results.settings;
  const b = results.base.measured;
  const s = results.scaled.measured;
  const groups = (metric) => [
    ...[
      ['redeem', 'redeem'],
      ['customerGet', 'customer/get'],
      ['customerRedemptions', 'customer/redemptions'],
    ].map(([key, label]) => ({
      label,
      bars: [
        { series: 'base', value: b[key][metric] },
        { series: 'scaled', value: s[key][metric] },
      ],
    })),
    {
      label: 'redeem beside ledger check',
      bars: [
        { series: 'scaled', value: s.redeem[metric] },
        { series: 'during', value: results.ledgerCheck.redemptionsBeside[metric] },
      ],
    },
    {
      label: 'redeem during mass lapse',
      bars: [
        { series: 'scaled', value: results.lapse.baseline[metric] },
        { series: 'during', value: results.lapse.during[metric] },
      ],
    },
  ];
  const m = results.machine;
  return chartSvg({
    title: 'Scale benchmark',
    legend: [
      ['base', `${base.toLocaleString('en')} customers`],
      ['scaled', `${customers.toLocaleString('en')} customers`],
      ['during', 'beside the ledger check / sweep'],
    ],
    legendX: 220,
    legendStep: 170,
    subtitle: `${m.cpus} CPUs · ${results.database.kind} PostgreSQL ${results.database.version} · ${m.date.slice(0, 10)} · ledger rows ${results.scaled.rows.ledger_entry.toLocaleString('en')} · ledger check ${results.ledgerCheck.seconds} s · sweep ${results.lapse.lotsPerSecond} lots/s · targets: ${results.targets.filter((t) => t.pass).length}/${results.targets.length} pass`,
    groups,
  });
}
