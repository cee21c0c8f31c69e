import { Browser, expect, test } from "@playwright/test";
import { freshVisitor, patientPagePaths } from "../tests/support";

// Lighthouse's mobile profile: 1.6 Mbps down, 750 kbps up, 150 ms round trips, CPU 4x slower.
const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
const CPU_SLOWDOWN = 4;
const RUNS = 3;

type Visit = { all: number; bundle: number; fcp: number; interactive: number };

async function visit(browser: Browser, base: string, path: string, loggedIn: boolean): Promise<Visit> {
  const context = await freshVisitor(browser, base, loggedIn, { width: 375, height: 812 });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", NETWORK);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  const urls = new Map<string, string>();
  let all = 0;
  let bundle = 0;
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.loadingFinished", (e) => {
    all += e.encodedDataLength;
    if (new URL(urls.get(e.requestId) ?? base).pathname.startsWith("/pkg/")) bundle += e.encodedDataLength;
  });
  await page.goto(path, { waitUntil: "commit" });
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached({ timeout: 60_000 });
  const timing = await page.evaluate(() => {
    const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN;
    return { fcp, interactive: performance.now() };
  });
  await page.waitForLoadState("networkidle");
  await context.close();
  return { all, bundle, fcp: timing.fcp, interactive: timing.interactive };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test("patient pages on a throttled phone: bytes and time to interactive", async ({ browser, baseURL }) => {
  const base = baseURL ?? "http://127.0.0.1:3000";
  const { doctor, book } = await patientPagePaths(browser, base);

  const pages: [string, string, boolean][] = [
    ["home", "/", false],
    ["doctor search", "/doctors", false],
    ["doctor's calendar", doctor, false],
    ["booking form", book, true],
    ["my appointments", "/me/appointments", true],
  ];
  console.log(`\nfirst visit, empty cache, median of ${RUNS} (goal: bundle <= 150 kB, interactive <= 2.5 s)`);
  console.log("  page                 all bytes   JS+WASM+CSS   first paint   interactive");
  for (const [name, path, loggedIn] of pages) {
    const runs: Visit[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await visit(browser, base, path, loggedIn));
    const row = {
      all: median(runs.map((r) => r.all)),
      bundle: median(runs.map((r) => r.bundle)),
      fcp: median(runs.map((r) => r.fcp)),
      interactive: median(runs.map((r) => r.interactive)),
    };
    console.log(
      `  ${name.padEnd(19)} ${String(row.all).padStart(10)}   ${String(row.bundle).padStart(11)}   ${(row.fcp / 1000).toFixed(2).padStart(9)} s   ${(row.interactive / 1000).toFixed(2).padStart(9)} s`,
    );
  }
});
