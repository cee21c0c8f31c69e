import { Browser, BrowserContext, expect, Page, TestInfo } from "@playwright/test";

// The server under test seeds its demo accounts with this password (scripts/test.sh sets it).
export const DEMO_PASSWORD = process.env.MUEEN_DEMO_PASSWORD ?? "Mueen-demo-2026";
export const ADMIN_PHONE = "0500000001";
export const PATIENT_PHONE = "0500000006";

/** A fresh, valid Saudi ID (Luhn check digit) so every run registers a new person. */
export function freshNationalId(prefix: "1" | "2" = "1"): string {
  const body = prefix + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
  for (let check = 0; check <= 9; check++) {
    const candidate = body + check;
    const sum = [...candidate].reverse().reduce((acc, ch, i) => {
      let d = Number(ch);
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      return acc + d;
    }, 0);
    if (sum % 10 === 0) return candidate;
  }
  throw new Error("unreachable: one check digit always fits");
}

export function freshMobile(): string {
  return "05" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
}

/** Saves a full-page screenshot named for the test's project (phone or desktop). */
export async function snap(page: Page, info: TestInfo, name: string) {
  await page.screenshot({
    path: `screenshots/${info.project.name}-${name}.png`,
    fullPage: true,
  });
}

export async function login(page: Page, identifier: string, password: string) {
  await page.goto("/login");
  await page.fill("#input-identifier", identifier);
  await page.fill("#input-password", password);
  await page.getByRole("button", { name: /دخول|Log in/ }).last().click();
}

/** Fills the registration form on screen with a valid new patient named `first`, on `phone`. */
export async function fillRegistration(page: Page, first: string, phone: string) {
  await page.fill("#input-first_name", first);
  await page.fill("#input-father_name", "سالم");
  await page.fill("#input-grandfather_name", "علي");
  await page.fill("#input-family_name", "العمري");
  await page.fill("#input-phone", phone);
  await page.fill("#input-national_id", freshNationalId());
  await page.fill("#input-date_of_birth", "1985-01-20");
  await page.selectOption("#input-sex", "female");
  await page.fill("#input-password", "a-strong-secret");
}

/** Registers a new patient through the form and returns their mobile number. */
export async function registerPatient(page: Page, first = "منى"): Promise<string> {
  const phone = freshMobile();
  await page.goto("/register");
  await fillRegistration(page, first, phone);
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await page.waitForURL(/\/me$/);
  return phone;
}

/** From a doctor's page: opens the last bookable day (beyond any cancel cutoff) that still has
 *  more than `index` free times, and picks time `index`. A spec run again and again against one
 *  server (`--repeat-each`, to chase a rare failure) fills the last day: a doctor's Sunday holds
 *  14 visits. */
export async function pickSlotOnLastDay(page: Page, index = 0) {
  const days = page.locator('[data-testid="day-strip"] a[data-day]');
  const slots = page.locator('[data-testid="slots"] a');
  // The doctor's page may still be on its way: count the days once it shows them.
  await days.last().waitFor();
  for (let i = (await days.count()) - 1; i >= 0; i--) {
    const day = await days.nth(i).getAttribute("data-day");
    await days.nth(i).click();
    await page.waitForURL(new RegExp(`day=${day}`));
    if ((await slots.count()) > index) {
      await slots.nth(index).click();
      await page.waitForURL(/\/book\?/);
      return;
    }
  }
  throw new Error(`no day in the strip has ${index + 1} free times`);
}

/** Ticks or unticks one weekday (0 = Sunday) of the working week on the setup page on screen
 *  and saves it; waits for the server's answer and the page it leads to, with or without the
 *  page hydrated. */
export async function setWeekday(page: Page, weekday: number, open: boolean) {
  const week = page.getByTestId("working-week");
  await week.locator(`input[name="day${weekday}"]`).setChecked(open);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes("/api/save_working_week")),
    week.getByRole("button", { name: "حفظ" }).click(),
  ]);
  expect(response.status(), "the working week was saved").toBeLessThan(400);
  // The save leads back to the page with its notice; waiting for it keeps the next step off a
  // page that is still being replaced.
  await expect(page.getByTestId("week-saved")).toBeVisible();
}

/** From the doctor search, opens the first doctor whose calendar offers a day, and returns
 *  that calendar's path. */
export async function openBookableDoctor(page: Page): Promise<string> {
  await page.goto("/doctors");
  const links = await page.locator('a[href^="/doctors/"]').evaluateAll((as) =>
    as.map((a) => (a as HTMLAnchorElement).pathname),
  );
  for (const path of [...new Set(links)]) {
    await page.goto(path);
    if ((await page.locator('[data-testid="day-strip"] a[data-day]').count()) > 0) return path;
  }
  throw new Error("no doctor offers a bookable day");
}

/** A fresh browser profile (empty cache), logged in as the demo patient when asked. The log-in
 *  goes through the API, so no page is opened and nothing is cached before the page under test. */
export async function freshVisitor(
  browser: Browser,
  baseURL: string,
  loggedIn: boolean,
  viewport?: { width: number; height: number },
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, locale: "ar-SA", ...(viewport ? { viewport } : {}) });
  if (loggedIn) {
    const answer = await context.request.post("/api/login", {
      form: { identifier: PATIENT_PHONE, password: DEMO_PASSWORD },
      headers: { Origin: new URL(baseURL).origin, Accept: "application/json" },
    });
    expect(answer.ok(), await answer.text()).toBeTruthy();
  }
  return context;
}

/** The addresses of a bookable doctor's calendar and of a booking form there, found as a
 *  logged-in patient finds them. */
export async function patientPagePaths(browser: Browser, baseURL: string): Promise<{ doctor: string; book: string }> {
  const finder = await freshVisitor(browser, baseURL, true);
  const look = await finder.newPage();
  const doctor = await openBookableDoctor(look);
  await pickSlotOnLastDay(look);
  const book = new URL(look.url()).pathname + new URL(look.url()).search;
  await finder.close();
  return { doctor, book };
}

/** At the reception page on screen: registers a walk-in with the given first name and moves
 *  on to booking for them (the doctor search). */
export async function registerWalkIn(page: Page, first: string, beforeSubmit?: () => Promise<void>) {
  await page.goto("/reception");
  await page.fill("#input-first_name", first);
  await page.fill("#input-father_name", "ناصر");
  await page.fill("#input-grandfather_name", "سعد");
  await page.fill("#input-family_name", "الحربي");
  await page.fill("#input-phone", freshMobile());
  await page.fill("#input-national_id", freshNationalId());
  await page.fill("#input-date_of_birth", "1992-04-11");
  await page.selectOption("#input-walk-in-sex", "female");
  if (beforeSubmit) await beforeSubmit();
  await page.getByRole("button", { name: "سجّل واحجز" }).click();
  await page.waitForURL(/\/doctors\?for=/);
}

/** The clinic's (Riyadh, UTC+3) calendar day of the appointment on the confirmation page. */
export async function bookedRiyadhDay(page: Page): Promise<string> {
  const day = await page.locator("time").first().getAttribute("datetime");
  return new Date(new Date(day!).getTime() + 3 * 3600_000).toISOString().slice(0, 10);
}
