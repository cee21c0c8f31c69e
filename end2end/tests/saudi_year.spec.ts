import { expect, Page, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_PHONE, DEMO_PASSWORD, login, registerPatient, snap } from "./support";

// The dates come from the Umm al-Qura month table the app is checked against, counted from the
// day the test runs (in Riyadh), so the test does not expire with one Ramadan.
const MONTHS = readFileSync(join(__dirname, "../../app/src/kernel/values/umm_al_qura_months.txt"), "utf8")
  .split("\n")
  .filter((l) => /^\d/.test(l))
  .map((l) => l.trim().split(/\s+/))
  .map(([year, month, first]) => ({ year: Number(year), month: Number(month), first }));
const DAY_MS = 86_400_000;
const plusDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS);
const TODAY = new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 10);
const GREGORIAN_AR = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"];
const WEEKDAY_AR = ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"];
// Eid al-Fitr "from the day after 29 Ramadan" begins 29 days after 1 Ramadan.
const ramadans = MONTHS.filter((m) => m.month === 9).map((m) => ({ year: m.year, first: m.first, eid: plusDays(m.first, 29) }));
// The Eid setup lists next: the first whose four days have not all passed.
const SHOWN = ramadans.find((r) => plusDays(r.eid, 3) >= TODAY)!;
// A Ramadan day the patient can still book (two days ahead at least), a few nights before Eid.
const RAMADAN = ramadans.find((r) => plusDays(TODAY, 2) <= plusDays(r.first, 27))!;
const RAMADAN_DAY = RAMADAN.first > plusDays(TODAY, 2) ? RAMADAN.first : plusDays(TODAY, 2);
const EID_DAY = RAMADAN.eid;
const WEEKDAY = new Date(`${RAMADAN_DAY}T00:00:00Z`).getUTCDay();
// Both usually lie beyond the demo's 60-day booking horizon, which the admin widens (at most a year).
const HORIZON = Math.min(365, Math.max(120, daysBetween(TODAY, EID_DAY) + 2));

/** Follows the "later days" link of a doctor's calendar until `day` is on the strip. */
async function browseTo(page: Page, day: string) {
  const strip = page.getByTestId("day-strip");
  for (let i = 0; i < 40; i++) {
    if ((await strip.locator(`[data-day="${day}"]`).count()) > 0) return;
    const before = page.url();
    await page.getByTestId("days-later").click();
    await page.waitForURL((url) => url.toString() !== before);
  }
  throw new Error(`${day} never reached the calendar strip`);
}

test("an admin keeps the Eid holidays and a doctor's Ramadan nights; a patient browsing into Ramadan sees both", async ({ page }, info) => {
  await login(page, ADMIN_PHONE, DEMO_PASSWORD);
  await page.waitForURL(/\/admin\/staff$/);
  await page.goto("/setup");
  const rules = page.locator("form", { has: page.locator("#input-booking_horizon_days") });
  await rules.locator("#input-booking_horizon_days").fill(String(HORIZON));
  await rules.getByRole("button", { name: "حفظ" }).click();
  await expect(page.getByTestId("rules-saved")).toBeVisible();

  // Eid al-Fitr on, four days from the day after 29 Ramadan: its next days are shown in both
  // calendars.
  const fitr = page.getByTestId("rule-eid_fitr");
  await fitr.locator('input[name="on"]').check();
  await fitr.getByRole("spinbutton", { name: "عدد الأيام" }).fill("4");
  await fitr.locator('select[name="start"]').selectOption("after_ramadan_29");
  await fitr.getByRole("button", { name: "حفظ" }).click();
  await expect(page.getByTestId("holidays-saved")).toBeVisible();
  await expect(fitr.getByTestId("next-days-off")).toContainText(
    `${GREGORIAN_AR[Number(SHOWN.eid.slice(5, 7)) - 1]}`,
  );
  await expect(fitr.getByTestId("next-days-off")).toContainText(SHOWN.eid.slice(0, 4));
  await expect(fitr.getByTestId("next-days-off")).toContainText(`شوال ${SHOWN.year}`);
  await snap(page, info, "setup-holiday-calendar");

  // A demo doctor's Ramadan nights on the weekday of that Ramadan day, 21:00 to 02:00 (past
  // midnight).
  await page.getByTestId("setup-doctors").locator("li", { hasText: "أحمد الزهراني" }).getByRole("link").click();
  await page.waitForURL(/\/setup\/doctors\//);
  const doctorId = page.url().split("/setup/doctors/")[1].split(/[?#]/)[0];
  const ramadan = page.getByTestId("ramadan-hours");
  for (const [weekday, name] of [[String(WEEKDAY), WEEKDAY_AR[WEEKDAY]]]) {
    if ((await ramadan.getByTestId("ramadan-list").locator("li", { hasText: name }).count()) > 0) continue;
    const add = ramadan.getByTestId("add-ramadan");
    if (!(await add.evaluate((d) => (d as HTMLDetailsElement).open))) await add.locator("summary").click();
    await add.locator("#input-ramadan_weekday").selectOption(weekday);
    await add.locator("#input-ramadan_from").fill("21:00");
    await add.locator("#input-ramadan_until").fill("02:00");
    await add.getByRole("button", { name: "حفظ" }).click();
    await expect(ramadan.getByTestId("ramadan-list").locator("li", { hasText: name })).toContainText("بعد منتصف الليل");
  }
  await snap(page, info, "setup-ramadan-hours");
  await page.getByRole("button", { name: "تسجيل الخروج" }).click();

  await registerPatient(page, "ريم");
  await page.goto(`/doctors/${doctorId}`);
  await browseTo(page, RAMADAN_DAY);
  const first = page.getByTestId("day-strip").locator(`[data-day="${RAMADAN_DAY}"]`);
  await expect(first.getByTestId("ramadan-day")).toHaveText("رمضان");
  await first.click();
  await page.waitForURL(new RegExp(`day=${RAMADAN_DAY}`));
  // The night session only: from 9 in the evening, none of the regular morning.
  const slots = page.getByTestId("slots").locator("a");
  await expect(slots.first()).toContainText("9:00");
  await expect(slots.first()).toContainText("م");
  for (const start of await slots.evaluateAll((as) => as.map((a) => a.getAttribute("data-start")))) {
    const riyadhHour = (new Date(start as string).getUTCHours() + 3) % 24;
    expect(riyadhHour >= 21 || riyadhHour < 2, `${start} is in the night session`).toBeTruthy();
  }
  await page.getByTestId("day-strip").locator(`[data-day="${RAMADAN_DAY}"]`).scrollIntoViewIfNeeded();
  await snap(page, info, "calendar-ramadan-night");

  await browseTo(page, EID_DAY);
  const eid = page.getByTestId("day-strip").locator(`[data-day="${EID_DAY}"]`);
  await expect(eid).toHaveAttribute("aria-disabled", "true");
  await expect(eid.getByTestId("closed-reason")).toHaveText("عيد الفطر");
  await eid.scrollIntoViewIfNeeded();
  await snap(page, info, "calendar-eid-closed");
});
