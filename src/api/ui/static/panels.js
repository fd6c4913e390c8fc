// What each panel shows, from the API's answers. Text only (see render.js).
import { age, byId, cell, el, setRows } from './render.js';

/** The connector's state, why it is degraded or failed, its sinks and what it has in flight. @param {any} status */
export function renderOverview(status) {
  const info = status.logbridge ?? {};
  const state = status.connector?.state ?? 'UNASSIGNED';
  byId('name').textContent = status.name;
  const badge = byId('state');
  badge.textContent = info.degraded === true ? `${state} (degraded)` : state;
  badge.className = `badge ${info.degraded === true ? 'degraded' : state}`;
  const failing = (info.sinks ?? []).filter((/** @type {any} */ s) => !s.healthy);
  byId('why').textContent =
    status.connector?.trace ??
    (failing.length > 0
      ? `degraded: ${failing.map((/** @type {any} */ s) => `${s.id}: ${s.last_error?.message ?? s.detail ?? 'unhealthy'}`).join('; ')}`
      : '');
  const tbody = /** @type {HTMLElement} */ (byId('sinks').querySelector('tbody'));
  setRows(
    tbody,
    (info.sinks ?? []).map((/** @type {any} */ sink) =>
      el('tr', {}, [
        cell(sink.id),
        cell(sink.healthy ? 'healthy' : 'unhealthy', sink.healthy ? 'ok' : 'bad'),
        cell(sink.retrying_batches),
        cell(sink.detail ?? ''),
        cell(sink.last_error === undefined ? '' : `${sink.last_error.code}: ${sink.last_error.message}`),
      ]),
    ),
  );
  const flight = info.in_flight;
  byId('inflight').textContent =
    flight === undefined
      ? ''
      : `in flight: ${flight.records} records read and not committed, ${flight.unsettled} not yet delivered` +
        `${flight.full ? ' — budget full, the source is paused' : ''}`;
}

/** @param {any[]} partitions */
export function renderPartitions(partitions) {
  const tbody = /** @type {HTMLElement} */ (byId('partitions').querySelector('tbody'));
  setRows(
    tbody,
    partitions.map((p) =>
      el('tr', { 'data-partition': `${p.topic}:${p.partition}` }, [
        cell(p.topic),
        cell(p.partition),
        el('td', { class: 'num', 'data-col': 'committed' }, [
          p.committed === null ? '—' : String(p.committed),
        ]),
        el('td', { class: 'num', 'data-col': 'end' }, [String(p.end)]),
        el('td', { class: 'num', 'data-col': 'lag' }, [String(p.lag)]),
        cell(age(p.lag_seconds), 'num'),
        cell(p.assigned_here ? p.in_flight : 'elsewhere', 'num'),
        el('td', { title: p.paused_reason ?? '' }, [p.paused ? 'yes' : 'no']),
      ]),
    ),
  );
}

/** @param {{by_stage_reason: any[], latest: any[]}} letters */
export function renderDeadLetters(letters) {
  const counts = /** @type {HTMLElement} */ (byId('dead-counts').querySelector('tbody'));
  setRows(
    counts,
    letters.by_stage_reason.map((c) => el('tr', {}, [cell(c.stage), cell(c.reason), cell(c.count)])),
  );
  const latest = /** @type {HTMLElement} */ (byId('dead-latest').querySelector('tbody'));
  setRows(
    latest,
    letters.latest.map((d) =>
      el('tr', { class: 'dead-letter' }, [
        cell(d.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')),
        cell(`${d.topic}/${d.partition}@${d.offset}`),
        cell(`${d.stage} (${d.component})`),
        cell(`${d.code}: ${d.reason}`),
        cell(`${d.value}${d.value_bytes > d.value.length ? ` (${d.value_bytes} bytes)` : ''}`, 'value'),
      ]),
    ),
  );
}

/** @param {{description: string, rows: any[]}} plan */
export function renderPlan(plan) {
  byId('plan-what').textContent = `Reset ${plan.description}:`;
  const tbody = /** @type {HTMLElement} */ (byId('plan-rows').querySelector('tbody'));
  setRows(
    tbody,
    plan.rows.map((r) =>
      el('tr', {}, [
        cell(r.topic),
        cell(r.partition),
        cell(r.from),
        cell(r.to),
        cell(r.reread),
        cell(r.skipped),
        cell(r.note ?? ''),
      ]),
    ),
  );
  byId('plan').hidden = false;
}

/** The preview report: per record, each transform, then what each sink would send. @param {any} report */
export function renderPreview(report) {
  const out = byId('preview-output');
  const blocks = report.records.map((/** @type {any} */ trace) => {
    const r = trace.record;
    return el('div', { class: 'trace' }, [
      el('h3', {}, [`${r.topic}/${r.partition}@${r.offset}`]),
      el('pre', {}, [r.value ?? `(base64) ${r.value_base64}`]),
      ...(trace.dropped === undefined ? [] : [el('p', {}, [`dropped: ${trace.dropped}`])]),
      ...trace.steps.map((/** @type {any} */ s) =>
        el('p', {}, [
          `${s.transform}: ${s.in} → ${s.out.length}`,
          s.dropped > 0 ? `, ${s.dropped} dropped` : '',
          s.held > 0 ? `, ${s.held} held` : '',
          s.failed === undefined ? '' : `, refused: ${s.failed.code}: ${s.failed.message}`,
        ]),
      ),
      ...trace.outputs.flatMap((/** @type {any} */ o) =>
        o.sinks.map((/** @type {any} */ s) => el('pre', { class: 'sink-output' }, [sinkText(s)])),
      ),
    ]);
  });
  const letters = report.dead_letters.map((/** @type {any} */ d) =>
    el('p', { class: 'bad' }, [
      `${d.record}: ${d.stage} (${d.component}) ${d.code}: ${d.reason} → ${d.outcome}`,
    ]),
  );
  out.replaceChildren(...blocks, ...letters);
}

/** @param {any} s */
function sinkText(s) {
  if (s.rejected !== undefined) return `${s.sink}: refused ${s.rejected.code}: ${s.rejected.message}`;
  if (s.topic !== undefined) {
    return `${s.sink} → topic ${s.topic}\n${JSON.stringify(s.properties)}\n${s.payload}`;
  }
  const body = s.envelope === undefined ? s.text : JSON.stringify(s.envelope, null, 2);
  return `${s.sink} → POST ${s.endpoint}${s.query === undefined ? '' : `?${s.query}`}\n${body}`;
}
