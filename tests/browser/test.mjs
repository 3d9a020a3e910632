// test.mjs - the real-browser test: Debian's chromium, driven by
// playwright-core, opens the reference document page of a freshly
// started wenku, checks that the preview, the provider card and the QR
// code are visible, clicks 回到顶部 and saves a screenshot; then an
// administrator signs in and works the console: the dashboard's charts,
// the review page's preview beside its metadata, recommending to the
// home page, a settings change in force at once, and a fragment with a
// script in it shown sanitized on the home page.
//
//   node test.mjs WENKU_BIN OUT_DIR
//
// Ends with "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [bin, outDir] = process.argv.slice(2);
let passed = 0, failed = 0;

function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`ok   ${name}`); }
  else { failed++; console.log(`FAIL ${name} ${detail}`); }
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function waitUp(base) {
  for (let i = 0; i < 300; i++) {
    try { const r = await fetch(base + '/healthz'); if (r.ok) return true; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

const data = mkdtempSync(join(tmpdir(), 'wenku-browser-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(bin, ['serve', '--data', join(data, 'data'), '--listen', `127.0.0.1:${port}`],
  { stdio: ['ignore', 'ignore', 'inherit'] });
let browser;
try {
  check('server starts', await waitUp(base));
  const home = await (await fetch(base + '/')).text();
  const m = home.match(/href="\/d\/(\d+)"[^>]*>专题党课/);
  check('reference lecture listed on the home page', !!m);
  const docUrl = `${base}/d/${m ? m[1] : 1}`;

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', reducedMotion: 'reduce' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  const resp = await page.goto(docUrl);
  check('document page loads (200)', resp && resp.status() === 200, resp ? resp.status() : 'no response');

  const preview = page.locator('#preview');
  check('preview is visible', await preview.isVisible());
  const text = await preview.innerText();
  check('preview shows the lecture and the watermark',
    text.includes('习近平总书记强调') && text.includes('全网资源每日更新'), text.slice(0, 80));
  check('preview ends in ...', text.trim().endsWith('...'));

  const card = page.locator('.provider-card');
  check('provider card is visible', await card.isVisible());
  const cardText = await card.innerText();
  check('provider card shows name, 实名认证 and 内容提供者',
    cardText.includes('材料大师姐') && cardText.includes('实名认证') && cardText.includes('内容提供者'), cardText);

  const qr = page.locator('#kefu svg.qr');
  await qr.scrollIntoViewIfNeeded();
  check('QR code is visible', await qr.isVisible());
  const box = await qr.boundingBox();
  check('QR code is drawn at a scannable size', box && box.width >= 100 && box.height >= 100, JSON.stringify(box));
  check('扫一扫添加客服微信 shown', (await page.locator('#kefu').innerText()).includes('扫一扫添加客服微信'));

  // Reply moves the form and shows 取消回复; 取消回复 puts it back.
  const reply = page.locator('.reply-link').first();
  await reply.scrollIntoViewIfNeeded();
  await reply.click();
  check('回复 opens the reply form with 取消回复', await page.locator('#cancel-reply').isVisible());
  await page.locator('#cancel-reply').click();
  check('取消回复 closes it', !(await page.locator('#cancel-reply').isVisible()));

  // Scroll to the bottom, click 回到顶部, expect to be back at the top.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForFunction(() => window.scrollY > 100);
  const before = await page.evaluate(() => window.scrollY);
  const top = page.locator('#back-to-top');
  check('回到顶部 is visible', await top.isVisible());
  await top.click();
  await page.waitForFunction(() => window.scrollY === 0, null, { timeout: 5000 }).catch(() => {});
  const after = await page.evaluate(() => window.scrollY);
  check('回到顶部 scrolls back to the top', before > 100 && after === 0, `${before} -> ${after}`);

  await page.screenshot({ path: join(outDir, 'document-page.png'), fullPage: true });
  check('no script errors (CSP allows the page to work)', errors.length === 0, errors.join('; '));

  // ---- the console, as an administrator ----
  const add = spawnSync(bin, ['user', 'add', 'br-admin', '--role', 'admin', '--data', join(data, 'data')],
    { input: 'Browser-Pass-4321\n' });
  check('wenku user add makes an administrator', add.status === 0, String(add.stderr));
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const adm = await ctx.newPage();
  const cerrors = [];
  let dialogs = 0;
  adm.on('pageerror', (e) => cerrors.push(String(e)));
  adm.on('console', (msg) => { if (msg.type() === 'error') cerrors.push(msg.text()); });
  adm.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
  await adm.goto(base + '/login');
  await adm.fill('input[name=name]', 'br-admin');
  await adm.fill('input[name=password]', 'Browser-Pass-4321');
  await Promise.all([adm.waitForNavigation(), adm.locator('form[action="/login"] button[type=submit]').click()]);
  await adm.goto(base + '/admin');
  check('console dashboard opens for the administrator', new URL(adm.url()).pathname === '/admin' &&
    await adm.locator('.admin-nav').isVisible(), adm.url());
  const chart = adm.locator('figure svg').first();
  const cbox = await chart.boundingBox();
  check('dashboard draws its charts', cbox && cbox.width > 200 && cbox.height >= 50, JSON.stringify(cbox));
  await adm.screenshot({ path: join(outDir, 'console-dashboard.png'), fullPage: true });

  const id = m ? m[1] : '1';
  await adm.goto(`${base}/admin/review/${id}`);
  const meta = await adm.locator('.review-meta').boundingBox();
  const prev = await adm.locator('.review-preview').boundingBox();
  check('review page: preview beside the metadata', meta && prev && prev.x >= meta.x + meta.width - 1 &&
    Math.abs(prev.y - meta.y) < 40, JSON.stringify({ meta, prev }));
  await adm.screenshot({ path: join(outDir, 'console-review.png'), fullPage: false });
  check('review page shows the reader\'s preview', (await adm.locator('.review-preview').innerText()).includes('习近平总书记强调'));
  await Promise.all([adm.waitForNavigation(), adm.locator('button[value=recommend]').click()]);
  check('推荐到首页 is confirmed', (await adm.locator('.notice').innerText()).includes('已推荐到首页'));
  await adm.goto(base + '/');
  check('the recommended document is on the home page',
    await adm.locator(`#recommended a[href="/d/${id}"]`).first().isVisible());

  await adm.goto(base + '/admin/settings');
  await adm.fill('input[name=slogan]', '浏览器测试标语');
  await Promise.all([adm.waitForNavigation(), adm.locator('.settings-form button[type=submit]').click()]);
  check('settings saved and in force', (await adm.locator('.notice-ok').innerText()).includes('已生效'));
  await adm.goto(base + '/');
  check('the new slogan is on the next page at once', (await adm.content()).includes('浏览器测试标语'));

  await adm.goto(base + '/admin/fragments');
  const banner = adm.locator('#slot-home_banner');
  await banner.locator('select[name=format]').selectOption('html');
  await banner.locator('textarea[name=content]').fill(
    '<p>浏览器横幅<b>加粗</b><img src=x onerror="alert(1)"><script>alert(2)</script>' +
    '<a href="javascript:alert(3)">链接</a></p>');
  await Promise.all([adm.waitForNavigation(), banner.locator('button[name=preview]').click()]);
  check('fragment preview shows the sanitized text',
    (await adm.locator('#slot-home_banner .fragment-preview').innerText()).includes('浏览器横幅'));
  await Promise.all([adm.waitForNavigation(),
    adm.locator('#slot-home_banner button[type=submit]:not([name])').click()]);
  await adm.goto(base + '/');
  const shown = adm.locator('[data-slot=home_banner]');
  check('home banner shows the fragment', (await shown.innerText()).includes('浏览器横幅加粗'));
  const html = await shown.innerHTML();
  check('fragment sanitized: no script, no handler, no javascript: link',
    !/script|onerror|javascript:/i.test(html), html);
  check('no dialog was opened by the fragment', dialogs === 0);
  await adm.screenshot({ path: join(outDir, 'console-home.png'), fullPage: true });
  check('no script errors on the console pages', cerrors.length === 0, cerrors.join('; '));
  await ctx.close();
} catch (e) {
  check('browser test ran to the end', false, String(e && e.stack || e));
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  rmSync(data, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
