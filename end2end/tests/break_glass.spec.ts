import { expect, test } from "@playwright/test";
import { ADMIN_PHONE, DEMO_PASSWORD, login, registerPatient, snap } from "./support";

test("a doctor opens a stranger's chart only for a stated reason; the admin reviews it and the patient sees it", async ({ page }, info) => {
  // A new patient of this run: no doctor has seen her, so no grant is left from an earlier run.
  const first = "هند" + [...String(Date.now() % 1_000_000)].map((d) => "ابتثجحخدذر"[Number(d)]).join("");
  const phone = await registerPatient(page, first);
  await page.getByTestId("logout").click();
  await page.waitForURL(/\/$/);

  await login(page, "0500000003", DEMO_PASSWORD);
  await page.waitForURL(/\/staff$/);
  await page.getByRole("link", { name: "السجلات" }).first().click();
  await page.waitForURL(/\/chart$/);
  await page.fill('[data-testid="find-chart"]', first);
  await page.getByRole("button", { name: "بحث" }).click();
  const hit = page.getByTestId("found-charts").locator("li", { hasText: first });
  await expect(hit).toContainText("لا موعد له معك");
  await hit.getByRole("link", { name: "فتح السجل" }).click();
  await page.waitForURL(/\/chart\/[0-9a-f-]+$/);

  // Only her name and the form: nothing of the chart.
  await expect(page.getByTestId("break-glass")).toContainText(first);
  await expect(page.getByTestId("chart")).toHaveCount(0);
  await page.fill("#input-reason", "طوارئ");
  await page.getByRole("button", { name: "فتح السجل للطوارئ" }).click();
  await expect(page.locator('[data-field-error="reason"]')).toContainText("10 أحرف");
  await expect(page.getByTestId("chart")).toHaveCount(0);
  await snap(page, info, "break-glass-form");

  await page.fill("#input-reason", "حضرت إلى الطوارئ فاقدة الوعي ونحتاج معرفة حساسيتها");
  await page.getByRole("button", { name: "فتح السجل للطوارئ" }).click();
  await expect(page.getByTestId("break-glass-banner")).toContainText("وصول طارئ");
  await expect(page.getByTestId("charted-patient")).toContainText(first);
  await expect(page.getByTestId("allergies")).toBeVisible();
  await snap(page, info, "break-glass-chart");
  await page.getByTestId("logout").click();
  await page.waitForURL(/\/$/);

  // The admin sees the grant with its reason and marks it reviewed.
  await login(page, ADMIN_PHONE, DEMO_PASSWORD);
  await page.waitForURL(/\/admin\/staff$/);
  await page.getByRole("link", { name: "الوصول الطارئ" }).first().click();
  await page.waitForURL(/\/admin\/break-glass$/);
  const grant = page.getByTestId("grants-waiting").locator("li", { hasText: first });
  await expect(grant).toContainText("فاقدة الوعي");
  await expect(grant).toContainText("عدد مرات الاطلاع: 1");
  await snap(page, info, "break-glass-review");
  await grant.locator('input[name="note"]').fill("راجعت سجل الطوارئ");
  await grant.getByRole("button", { name: "تمت المراجعة" }).click();
  await page.waitForURL(/reviewed=1/);
  await expect(page.getByTestId("grants-done").locator("li", { hasText: first })).toContainText("راجعت سجل الطوارئ");
  await page.getByTestId("logout").click();
  await page.waitForURL(/\/$/);

  // The patient sees who opened her record, and that it was an emergency opening.
  await login(page, phone, "a-strong-secret");
  await page.waitForURL(/\/me$/);
  await page.goto("/me/records");
  await expect(page.getByTestId("person-record").first()).toContainText("فتح السجل في حالة طارئة");
});
