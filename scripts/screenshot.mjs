// Screenshot a page of the built site, for looking at what we built:
//   node scripts/screenshot.mjs /training/optimizers/ shot.png [--width 1280] [--height 900] [--wait 1500] [--full] [--dark]
//     [--scroll SELECTOR] [--click SELECTOR]
// Serves out/ on 127.0.0.1, opens the page in Debian's Chromium, prints console messages.
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : d;
};
const [route = '/', out = 'shot.png'] = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--') && !['--full', '--dark'].includes(args[i - 1])));
const { server, url } = await serve({ root: opt('root', 'out'), port: 0 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
const page = await browser.newPage({
  viewport: { width: Number(opt('width', 1280)), height: Number(opt('height', 900)) },
  colorScheme: args.includes('--dark') ? 'dark' : 'light',
});
page.on('console', (m) => console.log(`console.${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => console.log(`pageerror: ${e}`));
page.on('response', (r) => r.status() >= 400 && console.log(`HTTP ${r.status()}: ${r.url()}`));
await page.goto(url + route);
const sel = opt('scroll');
if (sel) {
  // Found and scrolled in one evaluate: a locator's scroll could race hydration replacing the element ("not attached").
  await page.waitForSelector(sel, { state: 'attached', timeout: 60_000 });
  await page.evaluate((s) => document.querySelector(s)?.scrollIntoView({ block: 'center' }), sel);
}
const click = opt('click');
if (click) {
  await page.waitForSelector(click, { timeout: 60_000 });
  await page.locator(click).first().click();
}
await page.waitForTimeout(Number(opt('wait', 1500)));
// Laid out only near the screen (globals.css): a whole-page capture lays out every part first.
if (args.includes('--full')) await page.addStyleTag({ content: '.notes-part { content-visibility: visible !important; }' });
await page.screenshot({ path: out, fullPage: args.includes('--full') });
await browser.close();
server.close();
console.log(`saved ${out}`);
