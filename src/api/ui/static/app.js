// The console: polls the REST API every 2 s for the chosen connector and wires the actions.
import { ApiError, call, connectorPath, setToken, token } from './api.js';
import { Charts } from './charts.js';
import { renderDeadLetters, renderOverview, renderPartitions, renderPlan, renderPreview } from './panels.js';
import { byId } from './render.js';

const POLL_MS = 2000;
const select = /** @type {HTMLSelectElement} */ (byId('connector'));
const charts = new Charts(byId('throughput'), byId('latency'));
/** @type {{description: string, rows: any[]} | undefined} */
let plan;

/** @param {string} text @param {boolean} [bad] */
function notice(text, bad = false) {
  const node = byId('notice');
  node.textContent = text;
  node.className = bad ? 'bad' : '';
}

/** 401: ask for the token; anything else: say what failed. @param {unknown} error */
function failed(error) {
  if (error instanceof ApiError && error.status === 401) {
    notice('Sign in: the API needs its token.', true);
    byId('logout').hidden = token() === null;
    return;
  }
  notice(error instanceof Error ? error.message : String(error), true);
}

async function refreshList() {
  /** @type {string[]} */
  const names = await call('GET', '/connectors');
  const current = select.value;
  if (names.join(',') !== [...select.options].map((o) => o.value).join(',')) {
    select.replaceChildren(...names.map((n) => new Option(n, n)));
  }
  if (names.includes(current)) select.value = current;
}

async function refresh() {
  try {
    await refreshList();
    const name = select.value;
    if (name === '') {
      notice('No connector on this worker.');
      return;
    }
    const path = connectorPath(name);
    const [status, partitions, throughput, letters] = await Promise.all([
      call('GET', `${path}/status`),
      call('GET', `${path}/partitions`),
      call('GET', `${path}/throughput`),
      call('GET', `${path}/dead-letters?limit=10`),
    ]);
    renderOverview(status);
    renderPartitions(partitions.partitions);
    charts.update(throughput.points);
    renderDeadLetters(letters);
    notice(`updated ${new Date().toLocaleTimeString()}`);
    byId('logout').hidden = token() === null;
  } catch (error) {
    failed(error);
  }
}

/** @type {Record<string, [string, string]>} */
const ACTIONS = {
  pause: ['PUT', 'pause'],
  resume: ['PUT', 'resume'],
  stop: ['PUT', 'stop'],
  restart: ['POST', 'restart?includeTasks=true'],
};

for (const button of document.querySelectorAll('[data-action]')) {
  button.addEventListener('click', async () => {
    const action = ACTIONS[/** @type {HTMLElement} */ (button).dataset.action ?? ''];
    if (action === undefined || select.value === '') return;
    try {
      await call(action[0], `${connectorPath(select.value)}/${action[1]}`);
      await refresh();
    } catch (error) {
      failed(error);
    }
  });
}

byId('login').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ (byId('token'));
  setToken(input.value);
  input.value = '';
  void refresh();
});

byId('logout').addEventListener('click', () => {
  setToken(null);
  notice('Signed out.');
});

byId('reset-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const to = /** @type {HTMLSelectElement} */ (byId('reset-to')).value;
  const at = /** @type {HTMLInputElement} */ (byId('reset-at')).value.trim();
  byId('reset-result').textContent = '';
  try {
    plan = await call(
      'POST',
      `${connectorPath(select.value)}/offsets/plan`,
      to === 'datetime' ? { to, at } : { to },
    );
    if (plan !== undefined) renderPlan(plan);
  } catch (error) {
    byId('reset-result').textContent = error instanceof Error ? error.message : String(error);
  }
});

byId('plan-cancel').addEventListener('click', () => {
  plan = undefined;
  byId('plan').hidden = true;
});

byId('plan-confirm').addEventListener('click', async () => {
  if (plan === undefined) return;
  const path = connectorPath(select.value);
  const result = byId('reset-result');
  try {
    result.textContent = 'stopping the connector…';
    await call('PUT', `${path}/stop`);
    await stopped(path);
    result.textContent = 'setting the offsets…';
    const offsets = plan.rows.map((r) => ({
      partition: { kafka_topic: r.topic, kafka_partition: r.partition },
      offset: { kafka_offset: r.to },
    }));
    const answer = await call('PATCH', `${path}/offsets`, { offsets });
    result.textContent = `${answer.message}. The connector is STOPPED: press Resume to read from the new offsets.`;
    plan = undefined;
    byId('plan').hidden = true;
    await refresh();
  } catch (error) {
    result.textContent = `reset failed: ${error instanceof Error ? error.message : String(error)}`;
  }
});

/** Waits until the connector reports STOPPED (it drains first). @param {string} path */
async function stopped(path) {
  for (let i = 0; i < 120; i += 1) {
    const status = await call('GET', `${path}/status`);
    if (status.connector?.state === 'STOPPED') return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the connector did not stop within a minute');
}

byId('preview-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const fromTopic = /** @type {HTMLInputElement} */ (byId('preview-topic')).checked;
  const count = Number(/** @type {HTMLInputElement} */ (byId('preview-count')).value);
  const lines = /** @type {HTMLTextAreaElement} */ (byId('preview-records')).value
    .split('\n')
    .filter((line) => line.trim() !== '');
  const body = fromTopic ? { from_topic: { count } } : { records: lines };
  try {
    renderPreview(await call('POST', `${connectorPath(select.value)}/preview`, body));
  } catch (error) {
    byId('preview-output').textContent = error instanceof Error ? error.message : String(error);
  }
});

select.addEventListener('change', () => {
  byId('plan').hidden = true;
  void refresh();
});

void refresh();
setInterval(() => void refresh(), POLL_MS);
