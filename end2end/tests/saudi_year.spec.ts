import { expect, Page, test } from "@playwright/test";
import { ADMIN_PHONE, DEMO_PASSWORD, login, registerPatient, snap } from "./support";

// Ramadan 1448 begins on Monday 8 February 2027; Eid al-Fitr on Tuesday 9 March 2027
// (Umm al-Qura). Both lie beyond the demo's 60-day booking horizon, which the admin widens.
const FIRST_OF_RAMADAN = "2027-02-08";
const EID_DAY = "2027-03-09";

/** Follows the "later days" link of a doctor's calendar until `day` is on the strip. */
async function browseTo(page: Page, day: string) {
  const strip = page.getByTestId("day-strip");
  for (let i = 0; i < 12; i++) {
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
  await rules.locator("#input-booking_horizon_days").fill("120");
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
  await expect(fitr.getByTestId("next-days-off")).toContainText("مارس 2027");
  await expect(fitr.getByTestId("next-days-off")).toContainText("شوال 1448");
  await snap(page, info, "setup-holiday-calendar");

  // A demo doctor's Ramadan nights, Monday and Tuesday, 21:00 to 02:00 (past midnight).
  await page.getByTestId("setup-doctors").locator("li", { hasText: "أحمد الزهراني" }).getByRole("link").click();
  await page.waitForURL(/\/setup\/doctors\//);
  const doctorId = page.url().split("/setup/doctors/")[1].split(/[?#]/)[0];
  const ramadan = page.getByTestId("ramadan-hours");
  for (const [weekday, name] of [["1", "الاثنين"], ["2", "الثلاثاء"]]) {
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
  await browseTo(page, FIRST_OF_RAMADAN);
  const first = page.getByTestId("day-strip").locator(`[data-day="${FIRST_OF_RAMADAN}"]`);
  await expect(first.getByTestId("ramadan-day")).toHaveText("رمضان");
  await first.click();
  await page.waitForURL(new RegExp(`day=${FIRST_OF_RAMADAN}`));
  // The night session only: from 9 in the evening, none of the regular morning.
  const slots = page.getByTestId("slots").locator("a");
  await expect(slots.first()).toContainText("9:00");
  await expect(slots.first()).toContainText("م");
  for (const start of await slots.evaluateAll((as) => as.map((a) => a.getAttribute("data-start")))) {
    const riyadhHour = (new Date(start as string).getUTCHours() + 3) % 24;
    expect(riyadhHour >= 21 || riyadhHour < 2, `${start} is in the night session`).toBeTruthy();
  }
  await page.getByTestId("day-strip").locator(`[data-day="${FIRST_OF_RAMADAN}"]`).scrollIntoViewIfNeeded();
  await snap(page, info, "calendar-ramadan-night");

  await browseTo(page, EID_DAY);
  const eid = page.getByTestId("day-strip").locator(`[data-day="${EID_DAY}"]`);
  await expect(eid).toHaveAttribute("aria-disabled", "true");
  await expect(eid.getByTestId("closed-reason")).toHaveText("عيد الفطر");
  await eid.scrollIntoViewIfNeeded();
  await snap(page, info, "calendar-eid-closed");
});
