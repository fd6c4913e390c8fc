/**
 * The console at /ui in a real headless Chromium, against a real worker on the harness broker, with bearer-token
 * auth: sign in, see the partitions, pause by clicking and see the lag grow, resume and see it drain, see a dead
 * letter (masked) appear after a poison record, and reset the offsets by time through the confirm step, checking
 * the group's committed offsets. Screenshots go to .tmp/screenshots/.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startBrowser, type TestBrowser } from '../support/browser.ts';
import { startHecServer, type HecServer } from '../support/hec/index.ts';
import { committedOffsets, createTopic, endOffsets, produce } from '../support/kafka/index.ts';
import { startLogbridge, type RunningLogbridge } from '../support/logbridge.ts';
import { uniqueName } from '../support/names.ts';
import { scratchRoot } from '../support/paths.ts';
import { kafkaPeer } from '../support/peers.ts';
import { waitFor } from '../support/wait.ts';
import { hecConnector, secretsEnv } from './delivery/setup.ts';

const kafka = kafkaPeer();
const TOKEN = 'console-e2e-token-5f2b9c';
const BATCH = 200;
const shots = `${scratchRoot}/screenshots`;
let hec: HecServer | undefined;
let running: RunningLogbridge | undefined;
let browser: TestBrowser | undefined;

afterAll(async () => {
  await browser?.close();
  await running?.kill();
  await hec?.close();
});

/** Records `from`..`to`, alternating partitions, with timestamps starting at `atMs`, 100 ms apart. */
function* batch(from: number, to: number, atMs: number) {
  for (let seq = from; seq < to; seq += 1) {
    yield {
      key: String(seq),
      value: JSON.stringify({ seq, log: `request ${seq}` }),
      partition: seq % 2,
      timestamp: String(atMs + (seq - from) * 100),
    };
  }
}

/** The numbers a column of the partitions table shows, summed. */
async function column(page: Page, name: string): Promise<number> {
  const cells = await page.locator(`#partitions td[data-col="${name}"]`).allTextContents();
  return cells.reduce((sum, text) => sum + (Number(text) || 0), 0);
}

async function untilPage(page: Page, check: () => Promise<boolean>, what: string): Promise<void> {
  await waitFor(check, 60_000, `the console to show ${what}`, 250);
}

describe('console', () => {
  it('shows partitions and lag, pauses and resumes, shows dead letters and resets offsets by time', async () => {
    await mkdir(shots, { recursive: true });
    const topic = await createTopic(kafka, { partitions: 2 });
    const dlq = await createTopic(kafka, { partitions: 1 });
    const now = Date.now();
    const before = now - 20 * 60_000;
    const after = now - 5 * 60_000;
    await produce(kafka, topic, batch(0, BATCH, before));
    let delivered = 0;
    hec = await startHecServer({ record: 'count', onEvent: () => (delivered += 1) });
    const name = uniqueName('console');
    const connector = hecConnector(name, topic, kafka, hec, {
      'record.format': 'json',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      transforms: 'mask',
      'transforms.mask.type': 'mask',
    });
    running = await startLogbridge({
      connectors: [connector],
      env: { ...secretsEnv(kafka, hec), LOGBRIDGE_REST_AUTH_TOKEN: TOKEN },
      readyHeaders: { authorization: `Bearer ${TOKEN}` },
    });
    browser = await startBrowser();
    const { page } = browser;

    // Signing in: the page loads without the token, the API asks for it, the token goes to sessionStorage only.
    await page.goto(`${running.restUrl}/ui/`);
    await page.locator('#notice', { hasText: 'Sign in' }).waitFor();
    await page.fill('#token', TOKEN);
    await page.click('#login button[type=submit]');
    await page.locator('#name', { hasText: name }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('logbridge.token'))).toBe(TOKEN);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await page.locator('#partitions tbody tr').count()).toBe(2);
    await untilPage(
      page,
      async () => (await column(page, 'committed')) === BATCH,
      'the first batch committed',
    );
    await page.screenshot({ path: `${shots}/console-running.png` });

    // Pause by clicking: nothing is read, the lag grows with what is produced.
    await page.click('[data-action=pause]');
    await page.locator('#state', { hasText: 'PAUSED' }).waitFor();
    const status = await running.get<{ connector: { state: string } }>(`/connectors/${name}/status`);
    expect(status.connector.state).toBe('PAUSED');
    await produce(kafka, topic, batch(BATCH, 2 * BATCH, after));
    await untilPage(page, async () => (await column(page, 'lag')) === BATCH, `a lag of ${BATCH}`);
    expect(await column(page, 'committed')).toBe(BATCH);
    expect(await page.locator('#partitions tbody tr').first().textContent()).toContain('yes');

    // Resume by clicking: the lag drains to 0.
    await page.click('[data-action=resume]');
    await page.locator('#state', { hasText: 'RUNNING' }).waitFor();
    await untilPage(
      page,
      async () => (await column(page, 'committed')) === 2 * BATCH && (await column(page, 'lag')) === 0,
      'the lag drained',
    );
    expect(delivered).toBe(2 * BATCH);

    // A poison record: dead-lettered, shown with its coordinates and reason, the e-mail in it masked.
    await produce(kafka, topic, [
      { key: 'poison', value: '{"user": "jane.doe@example.com", broken', partition: 1 },
    ]);
    const letter = page.locator('#dead-latest tr.dead-letter');
    await letter.first().waitFor({ timeout: 60_000 });
    const shown = (await letter.first().textContent()) ?? '';
    expect(shown).toContain(`${topic}/1@${BATCH}`);
    expect(shown).toContain('VALUE_CONVERTER');
    expect(shown).toContain('LB_INVALID_JSON');
    expect(shown).not.toContain('jane.doe@example.com');
    expect(shown).toMatch(/\[REDACTED:email\]|\*\*\*/);
    await page.locator('#dead-counts td', { hasText: 'LB_INVALID_JSON' }).waitFor();
    await page.screenshot({ path: `${shots}/console-dead-letter.png`, fullPage: true });

    // Reset by time, between the two batches: the plan first, then the confirm step.
    const ends = await endOffsets(kafka, topic);
    await page.selectOption('#reset-to', 'datetime');
    await page.fill('#reset-at', new Date(now - 10 * 60_000).toISOString());
    await page.click('#reset-form button[type=submit]');
    await page.locator('#plan-rows tbody tr').nth(1).waitFor();
    const rows = await page.locator('#plan-rows tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    await page.screenshot({ path: `${shots}/console-reset-plan.png`, fullPage: true });
    await page.click('#plan-confirm');
    await page.locator('#reset-result', { hasText: 'altered successfully' }).waitFor({ timeout: 90_000 });
    await page.locator('#state', { hasText: 'STOPPED' }).waitFor();
    // The first record after the time is the first of the second batch: offset BATCH / 2 on each partition.
    const group = `logbridge-${name}`;
    expect(await committedOffsets(kafka, group, topic)).toEqual({
      0: BigInt(BATCH / 2),
      1: BigInt(BATCH / 2),
    });
    expect(ends).toEqual({ 0: BigInt(BATCH), 1: BigInt(BATCH + 1) });

    // Resume: the second batch is read again (and the poison record dead-lettered again).
    await page.click('[data-action=resume]');
    await waitFor(
      async () => {
        const committed = await committedOffsets(kafka, group, topic);
        return committed[0] === ends[0] && committed[1] === ends[1];
      },
      60_000,
      'the connector to read again from the reset offsets',
    );
    expect(delivered).toBe(3 * BATCH);
    await page.locator('#throughput canvas').first().waitFor();
    await page.screenshot({ path: `${shots}/console.png` });
    const throughput = await running.get<{ points: { in_per_s: number }[] }>(
      `/connectors/${name}/throughput`,
    );
    expect(throughput.points.some((point) => point.in_per_s > 0)).toBe(true);
    expect((await running.stop()).code).toBe(0);
  });
});
