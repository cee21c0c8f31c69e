import { expect, test } from "@playwright/test";
import { ADMIN_PHONE, DEMO_PASSWORD, login, registerPatient, setWeekday, snap } from "./support";

test("an admin opens a branch with Saturday hours for a doctor; a patient finds and books it", async ({ page }, info) => {
  await login(page, ADMIN_PHONE, DEMO_PASSWORD);
  await page.waitForURL(/\/admin\/staff$/);
  await page.goto("/setup");
  const n = Date.now() % 100000;
  const name = `فرع النخيل ${n}`;
  const add = page.getByTestId("add-branch");
  await add.locator("summary").click();
  await add.locator("#input-name_ar").fill(name);
  await add.locator("#input-name_en").fill(`Nakheel branch ${n}`);
  await add.locator("#input-address_ar").fill("حي النخيل، الرياض");
  await add.getByRole("button", { name: "إضافة فرع" }).click();
  await page.waitForURL(/\/setup\?clinic=/);
  await expect(page.getByTestId("branches-nav").locator('[aria-current="page"]')).toHaveText(name);
  // A new branch opens Sunday to Thursday, like the first one; this one also opens Saturdays.
  await expect(page.getByTestId("working-week").locator('input[name="day6"]')).not.toBeChecked();
  await setWeekday(page, 6, true);
  await snap(page, info, "setup-branch");

  await page.getByTestId("setup-doctors").getByRole("link").last().click();
  await page.waitForURL(/\/setup\/doctors\//);
  const doctorSetup = page.url();
  const branchButton = page.getByTestId("doctor-branches").getByRole("button", { name });
  await branchButton.click();
  await expect(branchButton).toHaveAttribute("data-works", "true");
  // The new branch's visit types are listed last; the doctor offers its first one there.
  const offered = page.getByTestId("offered").last();
  await offered.getByRole("button").first().click();
  await expect(offered.getByRole("button").first()).toHaveAttribute("data-offered", "true");
  await page.getByTestId("add-hours").locator("summary").click();
  await page.selectOption("#input-branch", { label: name });
  await page.selectOption("#input-weekday", "6");
  await page.fill("#input-starts_at", "10:00");
  await page.fill("#input-ends_at", "12:00");
  await page.getByTestId("add-hours").getByRole("button", { name: "حفظ" }).click();
  const saturday = page.getByTestId("hours").locator("li", { hasText: "السبت" });
  await expect(saturday).toContainText(name);
  await snap(page, info, "setup-doctor-branches");
  await page.getByRole("button", { name: "تسجيل الخروج" }).click();

  await registerPatient(page, "هند");
  await page.goto("/doctors");
  await page.selectOption('[data-testid="filter-branch"]', { label: name });
  await page.getByRole("button", { name: "بحث" }).click();
  const results = page.getByTestId("doctor-results");
  await expect(results.locator("li")).toHaveCount(1);
  await expect(results).toContainText(name);
  await snap(page, info, "search-by-branch");
  await results.getByRole("link").first().click();
  await expect(page.getByTestId("branches").locator('[aria-current="true"]')).toHaveText(name);
  await expect(page.locator('[data-testid="day-strip"] a[data-day]').first()).toBeVisible();
  for (const day of await page.locator('[data-testid="day-strip"] a[data-day]').all()) {
    const date = new Date(`${await day.getAttribute("data-day")}T12:00:00Z`);
    expect(date.getUTCDay(), "only Saturdays are open at this branch").toBe(6);
  }
  await snap(page, info, "doctor-at-branch");
  await page.locator('[data-testid="slots"] a').first().click();
  await page.waitForURL(/\/book\?/);
  await expect(page.getByTestId("booking-clinic")).toHaveText(name);
  await page.getByRole("button", { name: "تأكيد الحجز" }).click();
  await expect(page.getByTestId("booked")).toBeVisible();
  await expect(page.locator("main")).toContainText(name);
  await page.getByRole("button", { name: "تسجيل الخروج" }).click();

  // Leave the doctor's week as it was, so the next run's Saturday hours do not overlap these.
  await login(page, ADMIN_PHONE, DEMO_PASSWORD);
  await page.waitForURL(/\/admin\/staff$/);
  await page.goto(doctorSetup);
  await page.getByTestId("hours").locator("li", { hasText: "السبت" }).getByRole("button", { name: "حذف" }).click();
  await expect(page.getByTestId("hours").locator("li", { hasText: "السبت" })).toHaveCount(0);
  await page.getByTestId("doctor-branches").getByRole("button", { name }).click();
  await expect(page.getByTestId("doctor-branches").getByRole("button", { name })).toHaveAttribute("data-works", "false");
});
