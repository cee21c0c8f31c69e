import { expect, test } from "@playwright/test";
import { bookedRiyadhDay, DEMO_PASSWORD, login, pickSlotOnLastDay, registerWalkIn, snap } from "./support";

test("a doctor opens a checked-in patient, records vitals, writes and signs a note with an ICD-10 code", async ({ page }, info) => {
  // The desk registers a walk-in, books the doctor and checks her in.
  // A name of its own in every run (names take Arabic letters only), to find her row.
  const first = "سلمى" + [...String(Date.now() % 1_000_000)].map((d) => "ابتثجحخدذر"[Number(d)]).join("");
  await login(page, "0500000005", DEMO_PASSWORD);
  await page.waitForURL(/\/staff$/);
  await registerWalkIn(page, first);
  await page.fill('[data-testid="doctor-search"]', "الشهري");
  await page.getByRole("button", { name: "بحث" }).click();
  await page.getByTestId("doctor-results").getByRole("link").first().click();
  await pickSlotOnLastDay(page, 0);
  await page.getByRole("button", { name: "تأكيد الحجز" }).click();
  await expect(page.getByTestId("booked")).toBeVisible();
  const day = await bookedRiyadhDay(page);
  await page.goto(`/staff?day=${day}`);
  await page.getByTestId("day-list").locator("li", { hasText: first }).getByRole("button", { name: "تسجيل الحضور" }).click();
  await expect(page.getByTestId("day-list").locator("li", { hasText: first })).toContainText("حاضر");
  await page.getByTestId("logout").click();
  await page.waitForURL(/\/$/);

  // The doctor opens the consultation from the day list.
  await login(page, "0500000002", DEMO_PASSWORD);
  await page.waitForURL(/\/staff$/);
  await page.goto(`/staff?day=${day}`);
  await page.getByTestId("day-list").locator("li", { hasText: first }).getByTestId("open-note").click();
  await page.waitForURL(/\/encounters\//);
  await expect(page.getByTestId("encounter-patient")).toContainText(first);
  await expect(page.getByTestId("encounter-status")).toHaveText("مسودة");
  await expect(page.getByTestId("no-allergies")).toBeVisible();
  await expect(page.getByTestId("patient-facts")).toContainText("•");

  // An allergy goes on the chart's header, in its warning box, on every chart page.
  await page.getByText("إضافة حساسية").click();
  await page.fill("#input-substance", "Penicillin");
  await page.fill("#input-reaction", "شرى");
  await page.selectOption("#input-severity", "severe");
  await page.getByRole("button", { name: "حفظ الحساسية" }).click();
  await expect(page.getByTestId("encounter-notice")).toHaveText("سُجّلت الحساسية.");
  await expect(page.getByTestId("allergies")).toContainText("Penicillin");
  await expect(page.getByTestId("allergies")).toContainText("شديدة");

  // An impossible reading is refused beside its field; a fever is kept and flagged.
  await page.fill("#input-blood_pressure", "120");
  await page.getByRole("button", { name: "حفظ القياسات" }).click();
  await expect(page.locator('[data-field-error="blood_pressure"]')).toContainText("ضغط الدم");
  await page.fill("#input-blood_pressure", "150/95");
  await page.fill("#input-pulse", "٨٨");
  await page.fill("#input-temperature", "38.6");
  await page.fill("#input-weight", "70");
  await page.fill("#input-height", "165");
  await page.getByRole("button", { name: "حفظ القياسات" }).click();
  await expect(page.getByTestId("encounter-notice")).toHaveText("حُفظت العلامات الحيوية.");
  await expect(page.getByTestId("vitals").locator('[data-flag="high"]').first()).toBeVisible();
  await expect(page.getByTestId("vitals")).toContainText("38.6 °C");

  await page.fill("#input-chief_complaint", "حرارة وسعال منذ ثلاثة أيام");
  await page.fill("#input-history", "Fever and productive cough for three days.");
  await page.fill("#input-assessment", "Acute bronchitis.");
  await page.fill("#input-diagnoses", "j20.9");
  await page.fill("#input-plan", "Fluids, paracetamol; review if worse.");
  await page.fill("#input-patient_summary", "التهاب قصبات حاد. اشربي السوائل وراجعينا إذا ساءت الحال.");
  await page.getByRole("button", { name: "حفظ المسودة" }).click();
  await expect(page.getByTestId("encounter-notice")).toHaveText("حُفظت المسودة.");
  await expect(page.getByTestId("diagnoses")).toContainText("J20.9");
  await expect(page.getByTestId("diagnoses")).toContainText("Acute bronchitis, unspecified");
  await snap(page, info, "encounter-draft");

  await page.getByTestId("sign").click();
  await expect(page.getByTestId("encounter-status")).toHaveText("موقّع");
  await expect(page.getByTestId("signed-note")).toContainText("Acute bronchitis.");
  await expect(page.locator("#input-chief_complaint")).toHaveCount(0);
  await page.fill("#input-body", "Chest X-ray if no better in a week.");
  await page.getByRole("button", { name: "إضافة الملحق" }).click();
  await expect(page.getByTestId("addenda")).toContainText("Chest X-ray if no better in a week.");
  await expect(page.getByTestId("allergies")).toContainText("Penicillin");
  await snap(page, info, "encounter-signed");

  await page.goto(`/staff?day=${day}`);
  await expect(page.getByTestId("day-list").locator("li", { hasText: first })).toContainText("مكتمل");
});
