import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, PATIENT_PHONE, fillRegistration, login, snap } from "./support";

// Pages are rendered on the server; one small island sends forms with fetch once the bundle has
// loaded. These tests pin both paths: with the bundle, and with JavaScript switched off.

test("with the bundle, a refused registration shows the server's answer beside the field and keeps what was typed", async ({ page }, info) => {
  await page.goto("/register");
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
  // A demo patient already has this number: only the server can know.
  await fillRegistration(page, "هند", PATIENT_PHONE);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/register")),
    page.getByRole("button", { name: "إنشاء الحساب" }).click(),
  ]);
  expect(answer.status()).toBe(409);
  await expect(page.locator('[data-field-error="phone"]')).not.toBeEmpty();
  await expect(page.locator("#input-phone")).toHaveAttribute("aria-invalid", "true");
  // The page was not reloaded: what the patient typed is still there, and the address is clean.
  await expect(page.locator("#input-first_name")).toHaveValue("هند");
  await expect(page.locator("#input-password")).toHaveValue("a-strong-secret");
  expect(page.url()).not.toContain("__err");
  await snap(page, info, "register-taken-phone");
});

test("with the bundle, a wrong field is caught before anything is sent", async ({ page }) => {
  let sent = 0;
  page.on("request", (r) => {
    if (r.url().includes("/api/login")) sent++;
  });
  await page.goto("/login");
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
  await page.fill("#input-identifier", "12");
  await page.fill("#input-password", "whatever");
  await page.getByRole("button", { name: /دخول/ }).last().click();
  await expect(page.locator('[data-field-error="identifier"]')).not.toBeEmpty();
  await expect(page.locator("#input-identifier")).toBeFocused();
  expect(sent).toBe(0);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("log-in refuses a wrong password and then lets the patient in", async ({ page }, info) => {
    await login(page, PATIENT_PHONE, "definitely-wrong");
    await expect(page.getByTestId("form-error")).toHaveText(
      "رقم الجوال أو الهوية أو كلمة المرور غير صحيحة.",
    );
    await snap(page, info, "login-wrong-password-nojs");
    await login(page, PATIENT_PHONE, DEMO_PASSWORD);
    await page.waitForURL(/\/me$/);
    await expect(page.getByTestId("patient-home")).toBeVisible();
  });

  test("registration shows each field's message from the server", async ({ page }) => {
    await page.goto("/register");
    await page.fill("#input-first_name", "Layla");
    await page.fill("#input-phone", "0112345678");
    await page.getByRole("button", { name: "إنشاء الحساب" }).click();
    await expect(page.locator('[data-field-error="first_name"]')).not.toBeEmpty();
    await expect(page.locator('[data-field-error="phone"]')).toContainText("رقم جوال سعودياً");
    await expect(page.locator("#input-phone")).toHaveAttribute("aria-invalid", "true");
  });
});
