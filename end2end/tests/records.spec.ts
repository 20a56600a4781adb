import { test, expect, Page } from "@playwright/test";
import { readFile } from "node:fs/promises";

const admin = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@doongji.kr",
  password: process.env.E2E_ADMIN_PASSWORD ?? "",
};

const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
);

async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
}

async function login(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("이메일").fill(email);
  await page.getByLabel("비밀번호").fill(password);
  await page.getByRole("button", { name: "로그인" }).click();
  await expect(page).toHaveURL(/\/platform$/);
}

async function newBuilding(page: Page, name: string, client?: string) {
  await page.goto("/platform/buildings");
  await hydrated(page);
  const form = page.locator("form", { has: page.getByRole("button", { name: "건물 등록" }) });
  await form.getByLabel("건물 이름").fill(name);
  await form.getByLabel("도로명 주소").fill("서울특별시 성동구 성수이로 77");
  await form.getByLabel("시군구코드").fill("11200");
  await form.getByLabel("법정동코드").fill("11500");
  await form.getByLabel("번", { exact: true }).fill("277");
  await form.getByLabel("지", { exact: true }).fill("3");
  if (client) await form.getByLabel("소유 고객").selectOption({ label: client });
  await form.getByRole("button", { name: "건물 등록" }).click();
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await hydrated(page);
  return page.url();
}

test("staff attach a PDF and download it; an owner sees only their own building", async ({ page }) => {
  const stamp = Date.now();
  const ownerEmail = `owner-${stamp}@doongji.kr`;
  const ownerPassword = "Seongsu-Garden-Violin-26!";
  const client = `(주)둥지자산 ${stamp}`;
  const mine = `성수정원빌딩 ${stamp}`;
  const theirs = `성수남의빌딩 ${stamp}`;

  await login(page, admin.email, admin.password);

  // An owner account (role 건물주).
  await page.goto("/platform/admin/users");
  await hydrated(page);
  const users = page.locator("form", { has: page.getByRole("button", { name: "사용자 만들기" }) });
  await users.getByLabel("이메일").fill(ownerEmail);
  await users.getByLabel("이름").fill("박건물주");
  await users.getByLabel("역할").selectOption("client");
  await users.getByLabel("초기 비밀번호").fill(ownerPassword);
  await users.getByRole("button", { name: "사용자 만들기" }).click();
  await expect(page.getByRole("status")).toContainText("박건물주");

  // The client (owner company), linked to that account.
  await page.getByRole("link", { name: "고객", exact: true }).click();
  await hydrated(page);
  const c = page.locator("form", { has: page.getByRole("button", { name: "고객 등록" }) });
  await c.getByLabel("고객 이름(상호)").fill(client);
  await c.getByLabel("사업자등록번호").fill("220-81-62517");
  await c.getByLabel("연락처").fill("02-555-1234");
  await c.getByRole("button", { name: "고객 등록" }).click();
  await page.getByRole("link", { name: client }).click();
  await expect(page.getByRole("heading", { name: client })).toBeVisible();
  await hydrated(page);
  const link = page.locator("form", { has: page.getByRole("button", { name: "사용자 연결" }) });
  await link.getByLabel("고객 계정 이메일").fill(ownerEmail);
  await link.getByRole("button", { name: "사용자 연결" }).click();
  await expect(page.getByTestId("client-users")).toContainText("박건물주");
  await page.screenshot({ path: "test-results/screenshots/platform-client.png", fullPage: true });

  // Two buildings: one owned by the client, one not.
  const theirsUrl = await newBuilding(page, theirs);
  await newBuilding(page, mine, client);
  await expect(page.getByTestId("building-info")).toContainText("11200-11500-0-0277-0003");
  await expect(page.getByTestId("building-info")).toContainText(client);

  // A PDF attached to the building, then downloaded intact.
  const files = page.locator("section", { has: page.getByRole("heading", { name: "첨부 파일" }) });
  await files.locator('input[type="file"]').setInputFiles({ name: "관리계약서.pdf", mimeType: "application/pdf", buffer: PDF });
  await files.getByRole("button", { name: "파일 올리기" }).click();
  await expect(page.getByTestId("files")).toContainText("관리계약서.pdf");
  // A renamed program is refused by its content.
  await files.locator('input[type="file"]').setInputFiles({ name: "가짜.pdf", mimeType: "application/pdf", buffer: Buffer.from("MZ not a pdf at all") });
  await files.getByRole("button", { name: "파일 올리기" }).click();
  await expect(files).toContainText("PDF 또는 이미지(PNG, JPEG, WebP) 파일만 올릴 수 있습니다");
  await page.screenshot({ path: "test-results/screenshots/platform-building-files.png", fullPage: true });
  const download = page.waitForEvent("download");
  await page.getByTestId("files").getByRole("link", { name: "관리계약서.pdf" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("관리계약서.pdf");
  expect((await readFile(await file.path())).equals(PDF)).toBe(true);

  // The import template comes down, and an empty one is refused with a Korean reason.
  const templateDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "양식 내려받기" }).click();
  const template = await templateDownload;
  expect(template.suggestedFilename()).toBe("임대계약_가져오기_양식.xlsx");
  const importForm = page.locator("section", { has: page.getByRole("heading", { name: "엑셀로 임차인·계약 가져오기" }) });
  await importForm.locator('input[type="file"]').setInputFiles(await template.path());
  await importForm.getByRole("button", { name: "가져오기" }).click();
  await expect(page.getByTestId("import-report")).toContainText("가져올 행이 없습니다");

  // The audit log shows who attached the file, filterable by what changed.
  await page.goto("/platform/admin/audit?entity=file");
  await expect(page.getByTestId("audit")).toContainText("첨부 파일");
  await expect(page.getByTestId("audit")).toContainText("관리계약서.pdf");
  await page.screenshot({ path: "test-results/screenshots/platform-audit.png", fullPage: true });

  // The owner signs in: only their building, and the other one does not exist for them.
  await page.getByRole("button", { name: "로그아웃" }).click();
  await login(page, ownerEmail, ownerPassword);
  await expect(page.getByTestId("signed-in-user")).toContainText("건물주");
  await page.getByRole("link", { name: "건물", exact: true }).click();
  await expect(page.getByRole("link", { name: mine })).toBeVisible();
  await expect(page.getByRole("link", { name: theirs })).toHaveCount(0);
  await expect(page.getByTestId("list-total")).toContainText("1건");
  await page.screenshot({ path: "test-results/screenshots/platform-owner-buildings.png", fullPage: true });
  await page.getByRole("link", { name: mine }).click();
  await expect(page.getByTestId("files")).toContainText("관리계약서.pdf");
  await expect(page.getByRole("button", { name: "파일 올리기" })).toHaveCount(0);
  await page.goto(theirsUrl);
  await expect(page.getByRole("alert")).toContainText("요청하신 항목을 찾을 수 없습니다");
  await page.screenshot({ path: "test-results/screenshots/platform-owner-other-building.png", fullPage: true });
});
