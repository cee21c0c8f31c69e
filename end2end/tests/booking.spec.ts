import { expect, test } from "@playwright/test";
import { bookedRiyadhDay, DEMO_PASSWORD, login, pickSlotOnLastDay, registerPatient, registerWalkIn, snap } from "./support";

test("a patient searches in Arabic, books, reschedules and cancels", async ({ page }, info) => {
  await registerPatient(page);
  await page.goto("/doctors");
  // Alef maqsura instead of yaa, and the name parts in another order.
  await page.fill('[data-testid="doctor-search"]', "الغامدى ريم");
  await page.getByRole("button", { name: "بحث" }).click();
  const results = page.getByTestId("doctor-results");
  await expect(results.locator("li")).toHaveCount(1);
  await expect(results).toContainText("أقرب موعد");
  await snap(page, info, "doctor-search");

  await results.getByRole("link", { name: /ريم الغامدي/ }).click();
  await expect(page.getByTestId("doctor-name")).toContainText("ريم الغامدي");
  await expect(page.getByTestId("day-strip")).toContainText("هـ");
  await snap(page, info, "doctor-calendar");

  await pickSlotOnLastDay(page, 0);
  await expect(page.locator("time").first()).toContainText("هـ");
  await page.fill("#input-reason", "متابعة تطعيمات");
  await snap(page, info, "booking-confirm");
  await page.getByRole("button", { name: "تأكيد الحجز" }).click();
  await expect(page.getByTestId("booked")).toBeVisible();
  await expect(page.getByTestId("status")).toHaveText("محجوز");
  await snap(page, info, "booking-done");

  await page.goto("/me/appointments");
  await expect(page.getByTestId("upcoming").locator("li")).toHaveCount(1);
  await snap(page, info, "my-appointments");

  // Reschedule to another time on the same day.
  await page.getByTestId("upcoming").locator("a").first().click();
  await page.getByTestId("reschedule").click();
  await pickSlotOnLastDay(page, 1);
  await page.getByRole("button", { name: "تأكيد الحجز" }).click();
  await expect(page.getByTestId("booked")).toBeVisible();
  await page.goto("/me/appointments");
  await expect(page.getByTestId("upcoming").locator("li")).toHaveCount(1);
  await expect(page.getByTestId("past")).toContainText("ملغى");

  await page.getByTestId("upcoming").locator("a").first().click();
  await page.fill("#input-cancel-reason", "ظرف طارئ");
  await page.getByTestId("cancel").click();
  await expect(page.getByTestId("status")).toHaveText("ملغى");
  await snap(page, info, "appointment-cancelled");
});

test("a receptionist registers a walk-in, books for them and checks them in; the doctor sees the day", async ({ page }, info) => {
  await login(page, "0500000005", DEMO_PASSWORD);
  await page.waitForURL(/\/staff$/);
  await registerWalkIn(page, "هيفاء", () => snap(page, info, "reception-walk-in"));

  await page.fill('[data-testid="doctor-search"]', "الشهري");
  await page.getByRole("button", { name: "بحث" }).click();
  await page.getByTestId("doctor-results").getByRole("link").first().click();
  await pickSlotOnLastDay(page, 0);
  await expect(page.getByTestId("booking-for")).toContainText("هيفاء ناصر سعد الحربي");
  await page.getByRole("button", { name: "تأكيد الحجز" }).click();
  await expect(page.getByTestId("booked")).toBeVisible();
  const riyadhDay = await bookedRiyadhDay(page);

  await page.goto(`/staff?day=${riyadhDay}`);
  const row = page.getByTestId("day-list").locator("li", { hasText: "هيفاء" }).last();
  await expect(row).toContainText("محجوز");
  await snap(page, info, "reception-day");
  await row.getByRole("button", { name: "تسجيل الحضور" }).click();
  await expect(page.getByTestId("day-list").locator("li", { hasText: "هيفاء" }).last()).toContainText("حاضر");
  await page.getByTestId("logout").click();
  await page.waitForURL(/\/$/);

  await login(page, "0500000002", DEMO_PASSWORD);
  await page.waitForURL(/\/staff$/);
  await page.goto(`/staff?day=${riyadhDay}`);
  await expect(page.getByTestId("day-list")).toContainText("هيفاء");
  await snap(page, info, "doctor-day");
});
