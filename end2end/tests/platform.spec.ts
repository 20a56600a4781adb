import { test, expect, Page } from "@playwright/test";

// The run script creates this admin with `doongji create-admin` before the browser starts.
const admin = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@doongji.kr",
  password: process.env.E2E_ADMIN_PASSWORD ?? "",
};

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** Waits until the WASM has hydrated the page, so clicks go through the client. */
async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
}

async function login(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("이메일").fill(email);
  await page.getByLabel("비밀번호").fill(password);
  await page.getByRole("button", { name: "로그인" }).click();
}

test("platform requires a login", async ({ page }) => {
  await page.goto("/platform");
  await expect(page).toHaveURL(/\/login\?next=%2Fplatform/);
  await expect(page.getByRole("heading", { name: "둥지 플랫폼 로그인" })).toBeVisible();
  await shot(page, "login");

  await page.getByLabel("이메일").fill(admin.email);
  await page.getByLabel("비밀번호").fill("wrong-Pass-000");
  await page.getByRole("button", { name: "로그인" }).click();
  await expect(page.getByRole("alert")).toContainText("이메일 또는 비밀번호가 올바르지 않습니다");
  await shot(page, "login-error");
});

test("admin signs in, creates a manager, and signs out; the manager signs in", async ({ page }) => {
  expect(admin.password, "E2E_ADMIN_PASSWORD must be set").not.toBe("");
  await login(page, admin.email, admin.password);
  await expect(page).toHaveURL(/\/platform$/);
  await expect(page.getByTestId("signed-in-user")).toContainText("관리자");
  await expect(page.getByRole("heading", { name: "대시보드" })).toBeVisible();
  await shot(page, "platform-dashboard");

  await page.getByRole("link", { name: "사용자 관리" }).click();
  await expect(page).toHaveURL(/\/platform\/admin\/users$/);
  await expect(page.getByRole("heading", { name: "사용자 관리" })).toBeVisible();
  await hydrated(page);

  const email = `manager-${Date.now()}@doongji.kr`;
  const form = page.locator("form", { has: page.getByRole("button", { name: "사용자 만들기" }) });
  // A weak password is refused next to its field, and nothing is created.
  await form.getByLabel("이메일").fill(email);
  await form.getByLabel("이름").fill("김매니저");
  await form.getByLabel("역할").selectOption("manager");
  await form.getByLabel("초기 비밀번호").fill("short");
  await form.getByRole("button", { name: "사용자 만들기" }).click();
  await expect(form).toContainText("비밀번호는 10자 이상이어야 합니다.");

  await form.getByLabel("초기 비밀번호").fill("Quartz-meadow-Falcon-29");
  await form.getByRole("button", { name: "사용자 만들기" }).click();
  await expect(page.getByRole("status")).toContainText("김매니저");
  const row = page.locator(`tr[data-email="${email}"]`);
  await expect(row).toContainText("매니저");
  await expect(row).toContainText("활성");
  await shot(page, "platform-users");

  // Deactivate, then reactivate the new manager.
  await row.getByRole("button", { name: "비활성화" }).click();
  await expect(row).toContainText("비활성");
  await expect(row.getByRole("button", { name: "다시 활성화" })).toBeVisible();
  await row.getByRole("button", { name: "다시 활성화" }).click();
  await expect(row.getByRole("button", { name: "비활성화" })).toBeVisible();

  await page.getByRole("button", { name: "로그아웃" }).click();
  await expect(page).toHaveURL(/\/login\?logged_out=1/);
  await expect(page.getByRole("status")).toContainText("로그아웃되었습니다");
  await page.goto("/platform");
  await expect(page).toHaveURL(/\/login/);

  await login(page, email, "Quartz-meadow-Falcon-29");
  await expect(page).toHaveURL(/\/platform$/);
  await expect(page.getByTestId("signed-in-user")).toContainText("김매니저");
  await expect(page.getByRole("link", { name: "사용자 관리" })).toHaveCount(0);
  await shot(page, "platform-manager");
});

test("without JavaScript, a tenant is registered: a refusal shows beside its field, then it saves", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "ko-KR" });
  const page = await context.newPage();
  await login(page, admin.email, admin.password);
  await expect(page).toHaveURL(/\/platform$/);
  const name = `(주)노스크립트상사 ${Date.now()}`;

  await page.goto("/platform/tenants");
  let form = page.locator("form", { has: page.getByRole("button", { name: "임차인 등록" }) });
  await form.getByLabel("상호·이름").fill(name);
  await form.getByLabel("사업자등록번호").fill("123-45-67890");
  await form.getByLabel("휴대전화 (알림톡)").fill("010-3456-7890");
  await form.getByRole("button", { name: "임차인 등록" }).click();
  // The server sends the browser back to the page, with the message under the field.
  await expect(page).toHaveURL(/\/platform\/tenants\?.*__err=/);
  form = page.locator("form", { has: page.getByRole("button", { name: "임차인 등록" }) });
  await expect(form.locator("label", { hasText: "사업자등록번호" })).toContainText("사업자등록번호가 올바르지 않습니다");
  await shot(page, "platform-no-js-refused");

  await form.getByLabel("상호·이름").fill(name);
  await form.getByLabel("사업자등록번호").fill("220-81-62517");
  await form.getByLabel("휴대전화 (알림톡)").fill("010-3456-7890");
  await form.getByRole("button", { name: "임차인 등록" }).click();
  await expect(page).toHaveURL(/\/platform\/tenants$/);
  await expect(page.getByTestId("tenants")).toContainText(name);
  await context.close();
});

test("an admin runs a scheduled job by hand and reads its record", async ({ page }) => {
  await login(page, admin.email, admin.password);
  await expect(page).toHaveURL(/\/platform$/);
  await page.getByRole("link", { name: "예약 작업" }).click();
  await expect(page.getByRole("heading", { name: "예약 작업" })).toBeVisible();
  await hydrated(page);
  const job = page.locator('section[data-job="sessions.cleanup"]');
  await expect(job.getByTestId("job-next")).toContainText("다음 실행");

  // A schedule that is not five fields is refused beside the field.
  await job.getByLabel(/일정/).fill("0 9 * *");
  await job.getByRole("button", { name: "일정 저장" }).click();
  await expect(job).toContainText("다섯 칸");

  await job.getByRole("button", { name: "지금 실행" }).click();
  await expect(page.getByRole("status")).toContainText("작업을 시작했습니다");
  await expect(async () => {
    await page.reload();
    await expect(page.locator('section[data-job="sessions.cleanup"]').getByTestId("job-runs")).toContainText("성공", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.locator('section[data-job="sessions.cleanup"]').getByTestId("job-runs")).toContainText("수동");
  await shot(page, "platform-jobs");
});

test("an admin backs up now, sees it verified, and reads the work queue", async ({ page }) => {
  await login(page, admin.email, admin.password);
  await expect(page).toHaveURL(/\/platform$/);
  await page.getByRole("link", { name: "백업", exact: true }).click();
  await expect(page.getByRole("heading", { name: "백업", exact: true })).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "지금 백업" }).click();
  await expect(page.getByRole("status")).toContainText("백업을 시작했습니다");
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("backups")).toContainText("검증됨", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("backup-freshness")).toContainText("최근 검증된 백업");
  await expect(page.getByTestId("backups")).toContainText(/doongji-\d{8}-\d{6}\.backup/);
  await shot(page, "platform-backups");

  await page.getByRole("link", { name: "작업 대기열" }).click();
  await expect(page.getByRole("heading", { name: "작업 대기열" })).toBeVisible();
  await expect(page.getByTestId("queue-counts")).toContainText("대시보드 최근 활동 기록");
  await expect(page.getByTestId("queue-problems")).toHaveCount(1);
  await expect(page.getByText("실패한 항목이 없습니다.")).toBeVisible();
  await shot(page, "platform-queue");
});
