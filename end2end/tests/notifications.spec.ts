import { expect, test } from "@playwright/test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { ADMIN_PHONE, DEMO_PASSWORD, fillRegistration, freshMobile, login, openBookableDoctor, pickSlotOnLastDay, snap } from "./support";

// The mailbox scripts/test.sh runs for these tests (end2end/mail-sink.mjs).
const MAIL_DIR = process.env.E2E_MAIL_DIR;

/** The first message that arrived for `address`, waiting for the app's worker to send it. */
async function mailFor(address: string): Promise<ParsedMail> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (MAIL_DIR && existsSync(MAIL_DIR)) {
      for (const name of readdirSync(MAIL_DIR).filter((n) => n.endsWith(".to")).sort()) {
        if (readFileSync(join(MAIL_DIR, name), "utf8").split(",").includes(address)) {
          return simpleParser(readFileSync(join(MAIL_DIR, name.replace(/\.to$/, ".eml"))));
        }
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail for ${address} within 30 s`);
}

test("a patient books; the confirmation arrives by e-mail in Arabic with the .ics, and its one-tap link works once", async ({
  page,
  browser,
  baseURL,
}, info) => {
  test.skip(!MAIL_DIR, "needs the mail sink that scripts/test.sh starts");
  const address = `noura.${Date.now()}.${info.project.name}@patients.test`;
  await page.goto("/register");
  await fillRegistration(page, "نورة", freshMobile());
  await page.fill("#input-email", address);
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await page.waitForURL(/\/me$/);
  await openBookableDoctor(page);
  await pickSlotOnLastDay(page, 0);
  await page.getByRole("button", { name: "تأكيد الحجز" }).click();
  await expect(page.getByTestId("booked")).toBeVisible();

  const mail = await mailFor(address);
  expect(mail.subject).toMatch(/^تأكيد موعد في /);
  expect(mail.text).toContain("مرحبًا نورة،");
  expect(mail.text).toContain("هـ");
  expect(mail.html || "").toContain('dir="rtl"');
  const ics = mail.attachments.find((a) => a.filename === "appointment.ics");
  expect(ics, "the visit as a calendar file").toBeTruthy();
  expect(ics!.content.toString("utf8")).toContain("STATUS:CONFIRMED");
  const confirm = (mail.text || "").match(/سأحضر[^\n]*?(https?:\/\/\S+\/t\/[0-9a-f]{64})/);
  expect(confirm, mail.text).toBeTruthy();
  const link = new URL(confirm![1]);

  // Opened from the mail app: no session.
  const phone = await browser.newContext({ baseURL, locale: "ar-SA", viewport: page.viewportSize() ?? undefined });
  const tap = await phone.newPage();
  await tap.goto(link.pathname);
  await expect(tap.getByTestId("one-tap")).toContainText("تأكيد الحضور");
  await snap(tap, info, "one-tap-confirm");
  await tap.getByTestId("one-tap-answer").click();
  await expect(tap.getByTestId("one-tap-standing")).toHaveText("حضوركم لهذا الموعد مؤكَّد. شكرًا لكم.");
  await snap(tap, info, "one-tap-confirmed");

  await tap.goto(link.pathname);
  await expect(tap.getByTestId("one-tap-used")).toHaveText("استُخدم هذا الرابط من قبل.");
  await expect(tap.getByTestId("one-tap-answer")).toHaveCount(0);
  await phone.close();
});

test("a patient chooses how to be told; an admin sees the messages and the channels' health", async ({ page }, info) => {
  await page.goto("/register");
  await fillRegistration(page, "ريما", freshMobile());
  await page.getByRole("button", { name: "إنشاء الحساب" }).click();
  await page.waitForURL(/\/me$/);
  await page.goto("/me/notifications");
  const form = page.getByTestId("notification-settings");
  await expect(form).toContainText("إشعارات المواعيد");
  await form.getByLabel(/ذكّروني قبل الموعد/).uncheck();
  await page.selectOption("#input-language", "en");
  await snap(page, info, "notification-settings");
  await form.getByRole("button", { name: "حفظ" }).click();
  await expect(page.getByTestId("settings-saved")).toBeVisible();
  await expect(form.getByLabel(/ذكّروني قبل الموعد/)).not.toBeChecked();
  await expect(page.locator("#input-language")).toHaveValue("en");

  await page.context().clearCookies();
  await login(page, ADMIN_PHONE, DEMO_PASSWORD);
  await page.waitForURL(/\/admin\/staff$/);
  await page.goto("/admin/notifications");
  const admin = page.getByTestId("notifications-admin");
  await expect(admin).toContainText("رسائل المرضى");
  await expect(admin.getByTestId("channel-health").first()).toBeVisible();
  await expect(admin.getByTestId("message-row").first()).toBeVisible();
  await snap(page, info, "notifications-admin");
});
