import { expect, Page, test } from "@playwright/test";
import { freshVisitor, patientPagePaths } from "./support";

// What a patient's phone downloads on a first visit: every script, WASM and style file, and the
// form enhancer's messages file, counted as the bytes that crossed the network (compressed). A
// size, not a timing, so it cannot flake.
const BUDGET_BYTES = 150_000;

function isBundle(url: string): boolean {
  const path = new URL(url).pathname;
  return path.startsWith("/pkg/") || path.startsWith("/i18n/");
}

/** Opens `path` in `page` and returns the bytes of bundle files that crossed the network, as
 *  Chromium counts them (compressed body and headers; nothing for a file taken from its cache). */
async function bundleBytes(page: Page, path: string): Promise<{ bytes: number; files: string[] }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const urls = new Map<string, string>();
  const received: [string, number][] = [];
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.loadingFinished", (e) => {
    const url = urls.get(e.requestId);
    if (url && isBundle(url)) received.push([url, e.encodedDataLength]);
  });
  await page.goto(path);
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
  await page.waitForLoadState("networkidle");
  await cdp.detach();
  return {
    bytes: received.reduce((sum, [, n]) => sum + n, 0),
    files: received.filter(([, n]) => n > 0).map(([url, n]) => `${new URL(url).pathname} ${n}`),
  };
}

test("each patient page's first visit stays within the bundle budget, and a second visit downloads none of it", async ({ browser, baseURL }) => {
  test.skip(test.info().project.name !== "phone", "one run is enough: the budget does not depend on the screen");
  const base = baseURL ?? "http://127.0.0.1:3000";

  const { doctor: doctorPath, book: bookPath } = await patientPagePaths(browser, base);

  const pages: [string, boolean][] = [
    ["/", false],
    ["/doctors", false],
    [doctorPath, false],
    [bookPath, true],
    ["/me/appointments", true],
  ];
  for (const [path, loggedIn] of pages) {
    const context = await freshVisitor(browser, base, loggedIn);
    const page = await context.newPage();
    const first = await bundleBytes(page, path);
    console.log(`${path}: ${first.bytes} bytes (${first.files.join(", ")})`);
    expect(first.files.length, `${path} loads the bundle`).toBeGreaterThanOrEqual(3);
    expect(first.bytes, `${path}: ${first.files.join(", ")}`).toBeLessThanOrEqual(BUDGET_BYTES);
    const again = await bundleBytes(page, path);
    expect(again.bytes, `${path} again: ${again.files.join(", ")}`).toBe(0);
    await context.close();
  }
});
