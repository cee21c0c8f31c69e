import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, pickSlotOnLastDay, registerPatient, setWeekday, snap, freshNationalId } from "./support";

/** The clinic's (Riyadh, UTC+3) calendar day of the first <time> on the page. */
async function riyadhDayOfFirstTime(page: import("@playwright/test").Page): Promise<string> {
  const at = await page.locator("time").first().getAttribute("datetime");
  return new Date(new Date(at!).getTime() + 3 * 3600_000).toISOString().slice(0, 10);
}

test("a parent books for their child; a cancelled time is offered to the waitlist and accepted", async ({ page, browser }, info) => {
  await registerPatient(page, "نوال");
  await page.goto("/me/family");
  await expect(page.getByTestId("family-empty")).toBeVisible();
  await page.fill("#input-first_name", "ليان");
  await page.fill("#input-father_name", "فهد");
  await page.fill("#input-grandfather_name", "سالم");
  await page.fill("#input-family_name", "العمري");
  await page.fill("#input-national_id", freshNationalId());
  await page.fill("#input-date_of_birth", "2019-05-02");
  await page.selectOption("#input-sex", "female");
  await page.selectOption("#input-relation", "child");
  await page.getByRole("button", { name: "إضافة", exact: true }).click();
  await expect(page.getByTestId("family")).toContainText("ليان");
  await snap(page, info, "family");

  await page.goto("/doctors");
  await page.fill('[data-testid="doctor-search"]', "ريم");
  await page.getByRole("button", { name: "بحث" }).click();
  await page.getByTestId("doctor-results").getByRole("link").first().click();
  const doctorUrl = page.url();
  await pickSlotOnLastDay(page, 0);
  const child = await page.locator("#input-patient-id option", { hasText: "ليان" }).getAttribute("value");
  await page.selectOption("#input-patient-id", child!);
  await snap(page, info, "booking-for-child");
  await page.getByRole("button", { name: "تأكيد الحجز" }).click();
  await expect(page.getByTestId("booked")).toBeVisible();
  const appointmentUrl = page.url();
  const day = await riyadhDayOfFirstTime(page);
  await page.goto("/me/appointments");
  await expect(page.getByTestId("upcoming")).toContainText("ليان");

  // Another patient wants that day with the same doctor and joins the waitlist.
  const other = await browser.newContext({ locale: "ar-SA", viewport: page.viewportSize() ?? undefined });
  const waiter = await other.newPage();
  await registerPatient(waiter, "هالة");
  await waiter.goto(doctorUrl);
  const form = waiter.getByTestId("waitlist");
  if (!(await form.getAttribute("open"))) await form.locator("summary").click();
  await waiter.fill("#input-from", day);
  await waiter.fill("#input-until", day);
  await snap(waiter, info, "waitlist-join");
  await waiter.getByRole("button", { name: "انضم إلى قائمة الانتظار" }).click();
  await waiter.waitForURL(/\/me\/appointments\?joined=1/);
  await expect(waiter.getByTestId("waitlist-joined")).toBeVisible();
  await expect(waiter.getByTestId("my-waitlist")).toContainText("ريم الغامدي");

  // The parent cancels; the time is held for the waiting patient.
  await page.goto(appointmentUrl);
  await page.fill("#input-cancel-reason", "سفر");
  await page.getByTestId("cancel").click();
  await expect(page.getByTestId("status")).toHaveText("ملغى");

  await waiter.goto("/me/appointments");
  const offers = waiter.getByTestId("offers");
  await expect(offers).toContainText("محجوز لك حتى");
  await snap(waiter, info, "waitlist-offer");
  await offers.getByTestId("accept-offer").click();
  await expect(waiter.getByTestId("upcoming").locator("li")).toHaveCount(1);
  await expect(waiter.getByTestId("offers")).toHaveCount(0);
  await other.close();
});

test("a doctor reads the week; an admin adds a visit type and Friday hours", async ({ page }, info) => {
  await page.goto("/login");
  await page.fill("#input-identifier", "0500000002");
  await page.fill("#input-password", DEMO_PASSWORD);
  await page.getByRole("button", { name: /دخول/ }).last().click();
  await page.waitForURL(/\/staff$/);
  await page.getByTestId("week-link").click();
  await expect(page.getByTestId("week").locator("li[data-day]")).toHaveCount(7);
  await snap(page, info, "doctor-week");
  await page.getByRole("button", { name: "تسجيل الخروج" }).click();

  await page.goto("/login");
  await page.fill("#input-identifier", "0500000001");
  await page.fill("#input-password", DEMO_PASSWORD);
  await page.getByRole("button", { name: /دخول/ }).last().click();
  await page.waitForURL(/\/admin\/staff$/);
  await page.goto("/setup");
  const name = `كشف منزلي ${Date.now() % 100000}`;
  await page.getByTestId("add-visit-type").locator("summary").click();
  const add = page.getByTestId("add-visit-type");
  await add.locator("#input-name_ar").fill(name);
  await add.locator("#input-name_en").fill("Home visit");
  await add.locator("#input-duration_minutes").fill("45");
  await add.locator("#input-price_sar").fill("٤٠٠");
  await add.getByRole("button", { name: "حفظ" }).click();
  await expect(page.getByTestId("visit-types")).toContainText(name);
  const stamp = Date.now() % 100000;
  const specialty = `طب النوم ${stamp}`;
  const addSpecialty = page.getByTestId("add-specialty");
  await addSpecialty.locator("summary").click();
  await addSpecialty.locator("#input-name_ar").fill(specialty);
  await addSpecialty.locator("#input-name_en").fill(`Sleep medicine ${stamp}`);
  await addSpecialty.getByRole("button", { name: "حفظ" }).click();
  await expect(page.getByTestId("specialties")).toContainText(specialty);
  await setWeekday(page, 5, true);
  await snap(page, info, "setup-clinic");

  await page.getByTestId("setup-doctors").getByRole("link").first().click();
  await page.waitForURL(/\/setup\/doctors\//);
  await page.getByTestId("add-hours").locator("summary").click();
  await page.selectOption("#input-weekday", "5");
  await page.fill("#input-starts_at", "16:00");
  await page.fill("#input-ends_at", "18:00");
  await page.getByTestId("add-hours").getByRole("button", { name: "حفظ" }).click();
  const friday = page.getByTestId("hours").locator("li", { hasText: "الجمعة" });
  await expect(friday).toHaveCount(1);
  await snap(page, info, "setup-doctor");
  // Leave the demo week as it was for the next run.
  await friday.getByRole("button", { name: "حذف" }).click();
  await expect(page.getByTestId("hours").locator("li", { hasText: "الجمعة" })).toHaveCount(0);
  await page.goto("/setup");
  await setWeekday(page, 5, false);
});
