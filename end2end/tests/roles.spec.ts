import { expect, test } from "@playwright/test";
import { ADMIN_PHONE, DEMO_PASSWORD, PATIENT_PHONE, freshMobile, freshNationalId, login, snap } from "./support";

test("an admin logs in and creates a doctor account", async ({ page }, info) => {
  await login(page, ADMIN_PHONE, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/admin\/staff$/);
  await expect(page.getByTestId("team-table")).toContainText("الشهري");

  await page.selectOption("#input-role", "doctor");
  await page.selectOption("#input-specialty", { label: "طب الأطفال" });
  await page.fill("#input-first_name", "فيصل");
  await page.fill("#input-father_name", "تركي");
  await page.fill("#input-grandfather_name", "ماجد");
  const family = "الحربي" + ["ي", "ان", "ون"][Math.floor(Math.random() * 3)];
  await page.fill("#input-family_name", family);
  await page.fill("#input-phone", freshMobile());
  await page.fill("#input-national_id", freshNationalId());
  await page.fill("#input-password", "initial-pass-1");
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();

  await expect(page.getByTestId("team-created")).toBeVisible();
  await expect(page.getByTestId("team-table")).toContainText(`فيصل ${family}`);
  await snap(page, info, "admin-staff");
  await page.getByTestId("logout").click();
  await expect(page).toHaveURL(/\/$/);
});

test("a patient cannot open an admin page", async ({ page }, info) => {
  await login(page, PATIENT_PHONE, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/me$/);
  const response = await page.goto("/admin/staff");
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("error-page")).toContainText("غير مسموح");
  await snap(page, info, "forbidden");
});

test("unknown addresses show the 404 page", async ({ page }, info) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("error-page")).toContainText("الصفحة غير موجودة");
  await snap(page, info, "not-found");
});

test("a doctor logs in to the workspace", async ({ page }, info) => {
  await login(page, "0500000002", DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByTestId("workspace-home")).toBeVisible();
  await expect(page.getByTestId("current-user")).toContainText("خالد الشهري");
  await snap(page, info, "workspace-home");
});
