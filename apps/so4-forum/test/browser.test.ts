import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningForum, startForum } from "./support/forum.ts";

// Debian's chromium, never a downloaded browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe("the forum in a real browser (headless Chromium)", () => {
  let forum: RunningForum;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    forum = await startForum("sqlite");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    page = await browser.newPage();
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await forum?.close();
  });

  it("registers, logs in, starts a thread, replies through htmx without a reload, and logs out", async () => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    // Register.
    await page.goto(`${forum.url}/register`);
    await page.getByLabel("Email").fill("browser@example.com");
    await page.getByLabel("Display name").fill("Brow");
    await page.getByLabel("Password").fill("a browser password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect
      .poll(() => page.getByTestId("signed-in-as").textContent())
      .toBe("Signed in as Brow");

    // Log out, then log in again.
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("link", { name: "Log in" }).waitFor();
    await page.getByRole("link", { name: "Log in" }).click();
    await page.getByLabel("Email").fill("browser@example.com");
    await page.getByLabel("Password").fill("a browser password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByTestId("signed-in-as").waitFor();

    // Start a thread.
    await page.getByRole("link", { name: "General" }).click();
    await page.getByRole("link", { name: "New thread" }).click();
    await page.getByLabel("Title").fill("Hello from Chromium");
    await page.getByLabel("Message").fill("The opening post.");
    await page.getByRole("button", { name: "Start thread" }).click();
    await page.getByRole("heading", { name: "Hello from Chromium" }).waitFor();
    const threadUrl = page.url();

    // Reply through the htmx form: the post appears and the page is not reloaded.
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await page.getByLabel("Your reply").fill("A reply that arrives without a reload.");
    await page.getByRole("button", { name: "Reply" }).click();
    await page.locator("#post-list").getByText("A reply that arrives without a reload.").waitFor();
    expect(await page.locator("#post-list > li").count()).toBe(2);
    expect(
      await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);
    expect(page.url()).toBe(threadUrl);
    // The form was replaced by a fresh, empty one.
    expect(await page.getByLabel("Your reply").inputValue()).toBe("");

    // An empty reply shows the error in place, still without a reload.
    await page.getByLabel("Your reply").fill("   ");
    await page.locator("#reply textarea").evaluate((t) => t.removeAttribute("required"));
    await page.getByRole("button", { name: "Reply" }).click();
    await page.locator("#reply .errors").getByText("Write a message").waitFor();
    expect(
      await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);

    // Log out.
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("link", { name: "Register" }).waitFor();
    expect(await page.getByTestId("signed-in-as").count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("pages through a long thread with htmx, keeping the URL in step", async () => {
    await page.goto(`${forum.url}/c/showcase`);
    await page.getByRole("link", { name: "A long thread to try paging" }).click();
    await page.getByText("Page 1 of 3").waitFor();
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await page.getByRole("link", { name: "Older →" }).click();
    await page.getByText("Page 2 of 3").waitFor();
    expect(page.url()).toMatch(/\?page=2$/);
    expect(await page.getByText("Message 21 of a long conversation.").count()).toBe(1);
    expect(
      await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);
  });
});
