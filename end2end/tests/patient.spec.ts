import { expect, test } from "@playwright/test";
import { freshMobile, freshNationalId, login, snap, PATIENT_PHONE } from "./support";

test("a patient registers in Arabic, lands on their page, and switches to English", async ({ page }, info) => {
  await page.goto("/register");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.locator("html")).toHaveAttribute("lang", "ar");
  await snap(page, info, "register-empty");

  await page.fill("#input-first_name", "ليلى");
  await page.fill("#input-father_name", "عبد العزيز");
  await page.fill("#input-grandfather_name", "حمد");
  await page.fill("#input-family_name", "المطيري");
  await page.fill("#input-phone", freshMobile());
  await page.fill("#input-national_id", freshNationalId());
  await page.fill("#input-date_of_birth", "1990-05-17");
  await page.selectOption("#input-sex", "female");
  await page.fill("#input-password", "a-strong-secret");
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();

  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("patient-home")).toContainText("أهلاً، ليلى عبد العزيز حمد المطيري");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await snap(page, info, "patient-home-ar");

  await page.getByTestId("lang-switch").click();
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByTestId("patient-home")).toContainText("Welcome");
  await snap(page, info, "patient-home-en");

  // Back to Arabic so the cookie does not leak into the next test's expectations.
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
});

test("invalid registration fields show Arabic messages beside them", async ({ page }, info) => {
  await page.goto("/register");
  await page.fill("#input-first_name", "Layla");
  await page.fill("#input-national_id", "1234567890");
  await page.fill("#input-phone", "0112345678");
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await expect(page.locator('[data-field-error="national_id"]')).toContainText("رقم الهوية أو الإقامة غير صحيح");
  await expect(page.locator('[data-field-error="phone"]')).toContainText("رقم جوال سعودياً");
  await snap(page, info, "register-errors");
});

test("a wrong password shows the Arabic error", async ({ page }, info) => {
  await login(page, PATIENT_PHONE, "definitely-wrong");
  await expect(page.getByTestId("form-error")).toHaveText(
    "رقم الجوال أو الهوية أو كلمة المرور غير صحيحة.",
  );
  await snap(page, info, "login-wrong-password");
});
