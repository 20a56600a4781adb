import { test, expect, Page, Browser } from "@playwright/test";

const admin = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@doongji.kr",
  password: process.env.E2E_ADMIN_PASSWORD ?? "",
};

const pages: [string, string][] = [
  ["/", "건물 관리의 모든 것"],
  ["/about", "회사소개"],
  ["/services", "서비스"],
  ["/portfolio", "관리 실적"],
  ["/news", "공지사항"],
  ["/news/lease-law-guide", "상가임대차 갱신 시 임대료 인상 한도 안내"],
  ["/contact", "문의하기"],
  ["/privacy", "개인정보처리방침"],
];

function shotName(path: string) {
  return path === "/" ? "home" : path.slice(1).replace(/\//g, "-");
}

test("every public page renders, at desktop and phone width", async ({ browser }) => {
  for (const [width, height, label] of [[1280, 800, "desktop"], [390, 844, "mobile"]] as const) {
    const context = await browser.newContext({ viewport: { width, height }, locale: "ko-KR" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    for (const [path, h1] of pages) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toContainText(h1);
      await expect(page.locator("footer")).toContainText("사업자등록번호");
      await page.screenshot({ path: `test-results/screenshots/public-${shotName(path)}-${label}.png`, fullPage: true });
    }
    expect(errors, "no console errors").toEqual([]);
    await context.close();
  }
});

test("navigation links reach every page", async ({ page }) => {
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "주 메뉴" });
  for (const [name, h1] of [["회사소개", "회사소개"], ["서비스", "서비스"], ["공지사항", "공지사항"], ["문의하기", "문의하기"]]) {
    await nav.getByRole("link", { name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(h1);
  }
  await page.getByRole("link", { name: "개인정보처리방침" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("개인정보처리방침");
});

async function fillInquiry(page: Page, name: string, email: string) {
  await page.getByLabel("성함 (필수)").fill(name);
  await page.getByLabel("회사명").fill("둥지테스트");
  await page.getByLabel("연락처 (필수)").fill("010-2345-6789");
  await page.getByLabel("이메일 (필수)").fill(email);
  await page.getByLabel("건물 주소 또는 지역").fill("서울 마포구");
  await page.getByLabel("문의 내용 (필수)").fill("5층 업무용 빌딩의 임대관리를 맡기고 싶습니다.");
}

test("an inquiry sent without JavaScript and one with it both reach the manager's inbox", async ({ browser, request }) => {
  const stamp = Date.now();
  // The admin makes a manager account over the same endpoints the platform page uses.
  const manager = { email: `inbox-${stamp}@doongji.kr`, password: "Lantern-orbit-Pebble-73" };
  expect((await request.post("/api/login", { form: { email: admin.email, password: admin.password }, maxRedirects: 0 })).status()).toBe(303);
  const created = await request.post("/api/users/create", {
    form: { email: manager.email, name: "문의담당 매니저", role: "manager", password: manager.password },
  });
  expect(created.status()).toBe(200);
  const noJsEmail = `nojs-${stamp}@example.com`;
  const jsEmail = `js-${stamp}@example.com`;

  // Without JavaScript: a plain form post; a mistake comes back with the input kept.
  const noJs = await browser.newContext({ javaScriptEnabled: false, locale: "ko-KR" });
  const p1 = await noJs.newPage();
  await p1.goto("/contact");
  await fillInquiry(p1, "김노스크립트", noJsEmail);
  await p1.getByRole("button", { name: "문의 보내기" }).click();
  await expect(p1.locator("#consent-error")).toHaveText("개인정보 수집·이용에 동의해 주세요.");
  await expect(p1.getByLabel("성함 (필수)")).toHaveValue("김노스크립트");
  await p1.screenshot({ path: "test-results/screenshots/contact-error-nojs.png", fullPage: true });
  await p1.getByLabel("개인정보 수집·이용에 동의합니다 (필수)").check();
  await p1.getByRole("button", { name: "문의 보내기" }).click();
  await expect(p1).toHaveURL(/\/contact\?sent=1$/);
  await expect(p1.getByRole("status")).toContainText("문의가 접수되었습니다");
  await noJs.close();

  // With JavaScript: sent in place, no page load.
  const js = await browser.newContext({ locale: "ko-KR" });
  const p2 = await js.newPage();
  await p2.goto("/contact");
  await fillInquiry(p2, "이스크립트", jsEmail);
  await p2.getByLabel("연락처 (필수)").fill("전화 주세요");
  await p2.getByRole("button", { name: "문의 보내기" }).click();
  await expect(p2.locator("#phone-error")).toContainText("연락처 형식이 올바르지 않습니다");
  await expect(p2).toHaveURL(/\/contact$/);
  await p2.getByLabel("연락처 (필수)").fill("010-2345-6789");
  await p2.getByLabel("개인정보 수집·이용에 동의합니다 (필수)").check();
  await p2.getByRole("button", { name: "문의 보내기" }).click();
  await expect(p2.getByRole("status")).toContainText("문의가 접수되었습니다");
  await expect(p2).toHaveURL(/\/contact$/);
  await expect(p2.getByLabel("성함 (필수)")).toHaveValue("");
  await p2.screenshot({ path: "test-results/screenshots/contact-sent-js.png", fullPage: true });
  await js.close();

  // A manager sees both in the inbox, with the count in the navigation.
  const staff = await browser.newContext({ locale: "ko-KR" });
  const p3 = await staff.newPage();
  await p3.goto("/login");
  await p3.getByLabel("이메일").fill(manager.email);
  await p3.getByLabel("비밀번호").fill(manager.password);
  await p3.getByRole("button", { name: "로그인" }).click();
  await expect(p3).toHaveURL(/\/platform$/);
  await expect(p3.getByTestId("signed-in-user")).toContainText("매니저");
  await expect(p3.getByTestId("new-inquiries")).toBeVisible();
  await p3.getByRole("link", { name: /문의함/ }).click();
  await expect(p3.getByRole("heading", { name: "문의함" })).toBeVisible();
  await expect(p3.locator(`li[data-inquiry="${noJsEmail}"]`)).toContainText("김노스크립트");
  const jsItem = p3.locator(`li[data-inquiry="${jsEmail}"]`);
  await expect(jsItem).toContainText("이스크립트");
  await p3.screenshot({ path: "test-results/screenshots/platform-inquiries.png", fullPage: true });

  // Follow-up: mark it contacted with a note.
  await expect(p3.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
  await jsItem.getByLabel("상태").selectOption("contacted");
  await jsItem.getByLabel("메모").fill("통화 완료, 다음 주 방문");
  await jsItem.getByRole("button", { name: "저장" }).click();
  await expect(p3.locator(`li[data-inquiry="${jsEmail}"] [data-testid="inquiry-status"]`)).toHaveText("연락함");
  await staff.close();
});
