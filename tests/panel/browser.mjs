// SPDX-License-Identifier: LGPL-2.1-or-later
// Drives Debian's chromium, headless, against a running `hutch panel`
// (tests/panel/test-panel.sh starts it and the sandboxes). One scenario a
// run; prints "ok - ..." or "FAIL - ..." per check and exits 1 on a failure.
//
//   node browser.mjs SCENARIO
//
// Environment: LOGIN_URL (the panel's secret URL), HUTCH (the hutch binary),
// ARTIFACTS (where screenshots go), PROFILE_DIR (a fresh --user-data-dir),
// and per scenario SANDBOX, IMAGE, TARBALL, BROKEN, GOOD, FILE.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import puppeteer from "puppeteer-core";

const env = process.env;
const LOGIN_URL = env.LOGIN_URL;
const BASE = new URL(LOGIN_URL).origin;
const PORT = Number(new URL(LOGIN_URL).port);
let failures = 0;

function check(cond, what) {
  console.log(`${cond ? "ok" : "FAIL"} - ${what}`);
  if (!cond) failures++;
}

function hutch(...args) {
  return execFileSync(env.HUTCH, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function info(name) {
  try {
    return JSON.parse(hutch("info", "--json", name));
  } catch {
    return { state: "GONE" };
  }
}

function listed(name) {
  return hutch("ls", "--json").includes(`"name":"${name}"`);
}

async function shot(page, name) {
  await page.screenshot({ path: `${env.ARTIFACTS}/${name}.png`, fullPage: true });
}

async function cellText(page, name, field) {
  return page.evaluate((n, f) => {
    const row = [...document.querySelectorAll("#sandboxes tbody tr")].find((r) => r.dataset.name === n);
    const cell = row && row.querySelector(`[data-field="${f}"]`);
    return cell ? cell.textContent : null;
  }, name, field);
}

async function waitState(page, name, state) {
  await page.waitForFunction((n, s) => {
    const row = [...document.querySelectorAll("#sandboxes tbody tr")].find((r) => r.dataset.name === n);
    return row && row.querySelector('[data-field="state"]').textContent === s;
  }, { timeout: 15000 }, name, state);
}

// A sandbox still starting has no command recorded yet: wait for it.
async function waitCommand(page, name) {
  await waitState(page, name, "RUNNING");
  await page.waitForFunction((n) => {
    const row = [...document.querySelectorAll("#sandboxes tbody tr")].find((r) => r.dataset.name === n);
    return row && row.querySelector('[data-field="command"]').textContent !== "";
  }, { timeout: 10000 }, name);
}

// A button of NAME's row in the table.
function rowButton(name, action) {
  return `#sandboxes tr[data-name="${name}"] form[action$="/${action}"] button`;
}

async function login(browser) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 800 });
  await page.goto(LOGIN_URL, { waitUntil: "load" });
  // The login page moves on to the table by itself.
  await page.waitForFunction(() => location.pathname === "/", { timeout: 10000 });
  await page.waitForSelector("#sandboxes", { timeout: 10000 });
  return page;
}

// --- scenarios ------------------------------------------------------------

// Log in, see a sandbox started from the CLI appear, freeze it (with the
// keyboard), thaw and stop it, and look at its detail page.
async function lifecycle(browser) {
  const name = env.SANDBOX;
  const page = await login(browser);
  check(new URL(page.url()).pathname === "/", "the secret URL lands on the sandbox table");
  const cookies = await browser.cookies();
  const session = cookies.find((c) => c.name === `hutch_session_${PORT}`);
  check(session && session.httpOnly && session.sameSite === "Strict",
    "the session cookie is HttpOnly and SameSite=Strict");
  check(new URL(page.url()).search === "", "the secret is gone from the address bar");
  await page.evaluate(() => { window.notReloaded = true; });
  hutch("run", "--detach", "--name", name, "--allow", "shm", "--", "sleep", "300");
  await page.waitForSelector(`#sandboxes tr[data-name="${name}"]`, { timeout: 10000 });
  check(await page.evaluate(() => window.notReloaded === true),
    "a sandbox started from the CLI appears in the table without a reload");
  await waitCommand(page, name);
  check(await cellText(page, name, "command") === "sleep 300", "its row shows the command");
  await shot(page, "sandboxes");

  // Freeze with the keyboard only: Tab to the row's Freeze button, Enter.
  const target = rowButton(name, "freeze");
  let focused = false;
  for (let i = 0; i < 300 && !focused; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate((sel) => document.activeElement === document.querySelector(sel), target);
  }
  check(focused, "the Freeze button is reached with Tab");
  await page.keyboard.press("Enter");
  await waitState(page, name, "FROZEN");
  check(info(name).state === "FROZEN", "Freeze on the page: hutch info says FROZEN");
  check(await page.$eval("#status", (e) => e.textContent) === `Sandbox ${name} frozen.`,
    "the page says it froze");

  await page.click(rowButton(name, "thaw"));
  await waitState(page, name, "RUNNING");
  check(info(name).state === "RUNNING", "Thaw on the page: hutch info says RUNNING");

  await page.goto(`${BASE}/sandbox/${encodeURIComponent(name)}`, { waitUntil: "load" });
  const text = await page.$eval("dl.info", (e) => e.textContent);
  check(text.includes("sleep 300") && text.includes(String(info(name).pid)),
    "the detail page shows the command and init's pid");
  const items = await page.$$eval("dl.info dt", (dts) => dts.map((dt) => [dt.textContent,
    dt.nextElementSibling.textContent]));
  const item = (label) => items.filter(([dt]) => dt === label).map(([, dd]) => dd);
  const facts = info(name);
  check(facts.permissions.includes("shm") && item("Permissions")[0] === facts.permissions.join(", "),
    `the detail page shows its permissions as hutch info does (${item("Permissions")[0]})`);
  const links = Object.keys(facts.net.links);
  check(item("Sent (TX)").length === 1 && item("Received (RX)").length === 1 && links.length > 0 &&
    links.every((l) => item("Link").some((dd) => dd.startsWith(`${l}: TX `))),
    `and its traffic, in all and per link (${links.join(", ")})`);
  const mounts = await page.$$eval("#mounts tbody tr", (rows) => rows.map((r) => r.textContent));
  check(mounts.some((m) => m.includes("/usr") && m.includes("host rootfs")),
    "the detail page lists the plan's mounts, with why");
  await shot(page, "sandbox");

  await Promise.all([page.waitForNavigation({ timeout: 20000 }),
    page.click('[data-sandbox] form[action$="/stop"] button')]);
  check(!listed(name), "Stop on the detail page: hutch ls no longer lists it");
  check(new URL(page.url()).pathname === "/", "and the page goes back to the table");
  await page.waitForFunction((n) => !document.querySelector(`#sandboxes tr[data-name="${n}"]`),
    { timeout: 10000 }, name);
  check(true, "the table drops the stopped sandbox");
}

// Pick a profile, read its grants, edit the command, start it detached.
async function launch(browser) {
  const name = env.SANDBOX;
  const page = await login(browser);
  await page.goto(`${BASE}/launch`, { waitUntil: "load" });
  await page.select("#profile", "default");
  await Promise.all([page.waitForNavigation(), page.click("form.pick button")]);
  const grants = await page.$eval("#grants", (e) => e.textContent);
  check(grants.includes("No network") && grants.includes("No display") &&
    grants.includes("An empty home"), "the launch page says what the default profile grants");
  await page.$eval("#command", (e) => { e.value = ""; });
  await page.type("#command", "sleep 300");
  await page.type("#name", name);
  await shot(page, "launch");
  await Promise.all([page.waitForNavigation({ timeout: 20000 }), page.click("form.launch button")]);
  check(new URL(page.url()).pathname === `/sandbox/${name}`, "starting goes to the new sandbox's page");
  const i = info(name);
  check(i.state === "RUNNING" && i.profile === "default" && JSON.stringify(i.command) === '["sleep","300"]',
    "hutch info: running, profile default, the edited command");
  await shot(page, "launched");
  hutch("stop", "--timeout", "2", name);
}

// A broken profile: the list flags it, its page shows check results with
// FILE:LINE, and the launch page refuses it.
async function brokenProfile(browser) {
  const broken = env.BROKEN;
  const page = await login(browser);
  await page.goto(`${BASE}/profiles`, { waitUntil: "load" });
  const check_cell = await page.$eval(`#profiles tr[data-name="${broken}"] td[data-label="Check"]`,
    (e) => e.textContent);
  check(check_cell === "errors", "the profile list flags the broken profile");
  await shot(page, "profiles");
  await page.goto(`${BASE}/profiles/${broken}`, { waitUntil: "load" });
  const where = await page.$$eval("#check li code.where", (els) => els.map((e) => e.textContent));
  check(where.some((w) => w.endsWith(`${broken}.profile:3`)), "check results name FILE:3");
  check(where.some((w) => w.endsWith(`${broken}.profile:4`)), "and FILE:4");
  check(!(await page.$("#settings")), "no resolved settings for a broken profile");
  await shot(page, "profile-broken");
  await page.goto(`${BASE}/profiles/default`, { waitUntil: "load" });
  check((await page.$eval("#check", (e) => e.textContent)).includes("No problems"),
    "a good profile checks clean");
  const rows = await page.$$eval("#settings tbody tr", (rs) => rs.map((r) => r.textContent));
  check(rows.some((r) => r.startsWith("description") && r.includes("default.profile:")) &&
    rows.some((r) => r.startsWith("home") && r.endsWith("(default)")),
    "its resolved settings show their origin");
  await shot(page, "profile-default");
  await page.goto(`${BASE}/launch?profile=${broken}`, { waitUntil: "load" });
  check((await page.$eval("main", (e) => e.textContent)).includes("This profile has errors") &&
    !(await page.$("form.launch")), "the launch page will not start a broken profile");

  // The user's override of a good profile: listed, shown, and its line
  // is where the resolved setting and the grant come from.
  const good = env.GOOD, from = `overrides/${good}.profile:2`;
  await page.goto(`${BASE}/profiles`, { waitUntil: "load" });
  check((await page.$eval(`#profiles tr[data-name="${good}"] td[data-label="Your override"]`,
    (e) => e.textContent)).endsWith(`overrides/${good}.profile`), "the list names the user's override");
  await page.goto(`${BASE}/profiles/${good}`, { waitUntil: "load" });
  check((await page.$eval("#override", (e) => e.textContent)).includes("home=private"),
    "the profile's page shows the override's content");
  const resolved = await page.$$eval("#settings tbody tr", (rs) => rs.map((r) => r.textContent));
  check(resolved.some((r) => r.startsWith("homeprivate") && r.endsWith(from)),
    "the resolved home comes from the override's line");
  await shot(page, "profile-override");
  await page.goto(`${BASE}/launch?profile=${good}`, { waitUntil: "load" });
  const granted = await page.$eval("#grants", (e) => e.textContent);
  check(granted.includes("A home of its own") && granted.includes(from),
    "the launch page says what the override grants, and where it says so");
}

// The page hutch panel gave xdg-open (FILE) logs the browser in, once.
async function opened(browser) {
  const page = await browser.newPage();
  await page.goto(`file://${env.FILE}`, { waitUntil: "load" });
  await page.waitForFunction((base) => location.origin === base && location.pathname === "/",
    { timeout: 10000 }, BASE);
  const table = await page.waitForSelector("#sandboxes", { timeout: 10000 }).catch(() => null);
  check(table !== null, "the page xdg-open got logs the browser in");
  check(!fs.existsSync(env.FILE), "and is gone once used");
  await shot(page, "opened");
}

// Create an image from a tarball with its progress live, refuse to destroy
// it while a sandbox runs it, then destroy it after the confirmation.
async function images(browser) {
  const image = env.IMAGE, user = env.SANDBOX;
  const page = await login(browser);
  await page.goto(`${BASE}/images`, { waitUntil: "load" });
  await page.type("#image-name", image);
  await page.click("#from-tar");
  await page.type("#tarball", env.TARBALL);
  await Promise.all([page.waitForNavigation(), page.click("form.create button")]);
  check(/^\/jobs\/[0-9]+$/.test(new URL(page.url()).pathname), "creating goes to the job's page");
  await page.waitForFunction(() => document.getElementById("job-state").textContent !== "running",
    { timeout: 60000 });
  const log = await page.$$eval("#progress li", (lis) => lis.map((l) => l.textContent));
  check(log.some((l) => l.startsWith("importing ")), "the progress says what it imports");
  check(log.some((l) => l.startsWith(`image ${image} is ready`)), "and that the image is ready");
  check(await page.$eval("#job-state", (e) => e.textContent) === "done", "the job is done");
  await shot(page, "job");
  check(hutch("images").includes(image), "hutch images lists it");

  hutch("run", "--detach", "--name", user, "--image", image, "--", "sleep", "300");
  await page.goto(`${BASE}/images/${image}/destroy`, { waitUntil: "load" });
  check((await page.$eval("main", (e) => e.textContent)).includes(`in use by ${user}`),
    "the confirmation says who uses it");
  await page.click("form.destroy button");
  await page.waitForFunction(() => document.getElementById("status").className === "error",
    { timeout: 15000 });
  check((await page.$eval("#status", (e) => e.textContent)).includes("is in use"),
    "destroying while in use is refused");
  check(hutch("images").includes(image), "and the image is still there");
  await shot(page, "destroy-refused");
  hutch("stop", "--timeout", "2", user);

  await page.goto(`${BASE}/images/${image}/destroy`, { waitUntil: "load" });
  await Promise.all([page.waitForNavigation({ timeout: 20000 }), page.click("form.destroy button")]);
  check(!hutch("images").includes(image), "destroyed once no sandbox runs it");
  check(!(await page.$(`#images tr[data-name="${image}"]`)), "the list no longer shows it");
  await shot(page, "images");
}

// The Debian template: debootstrap's lines stream in, and Cancel stops it.
async function debianCancel(browser) {
  const image = env.IMAGE;
  const page = await login(browser);
  await page.goto(`${BASE}/images`, { waitUntil: "load" });
  await page.type("#image-name", image);
  await page.type("#release", "bookworm");
  await Promise.all([page.waitForNavigation(), page.click("form.create button")]);
  const rendered = await page.$eval("[data-job]", (e) => Number(e.dataset.lines));
  await page.waitForFunction(() => [...document.querySelectorAll("#progress li.info")]
    .some((l) => l.textContent.startsWith("I: Retrieving")), { timeout: 120000 });
  const lines = await page.$$eval("#progress li", (lis) => lis.map((l) => l.textContent));
  check(lines.length > rendered, "debootstrap's progress streams in");
  check(lines[0].startsWith("debootstrap bookworm "), "the first line says what runs");
  await shot(page, "job-debian");
  await page.click("#job-cancel");
  await page.waitForFunction(() => document.getElementById("job-state").textContent !== "running",
    { timeout: 60000 });
  check(await page.$eval("#job-state", (e) => e.textContent) === "cancelled", "Cancel ends the job");
  const log = await page.$$eval("#progress li", (lis) => lis.map((l) => l.textContent));
  check(log.some((l) => l === "cancelled; removing what was built"), "and says it removes what was built");
  check(!hutch("images").includes(image), "no image is left");
}

// Requests with the session but a wrong CSRF token, Origin or Host, and
// without the session, are refused; the same request done right works.
async function refusals(browser) {
  const name = env.SANDBOX;
  const page = await login(browser);
  const cookie = (await browser.cookies()).find((c) => c.name === `hutch_session_${PORT}`);
  const csrf = await page.$eval('meta[name="csrf-token"]', (e) => e.content);
  const good = {
    Host: `127.0.0.1:${PORT}`, Origin: BASE,
    Cookie: `${cookie.name}=${cookie.value}`, "Content-Type": "application/x-www-form-urlencoded",
  };
  const post = (path, headers, body) => new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: PORT, path, method: headers.method || "POST",
      headers: Object.fromEntries(Object.entries(headers).filter(([k, v]) => k !== "method" && v !== undefined)) },
    (res) => { res.resume(); res.on("end", () => resolve(res.statusCode)); });
    req.on("error", reject);
    req.end(body);
  });
  const path = `/sandbox/${name}/freeze`;
  const body = `csrf=${csrf}`;
  const cases = [
    ["without the session cookie", { ...good, Cookie: undefined }, body],
    ["with a wrong session cookie", { ...good, Cookie: `${cookie.name}=${"0".repeat(64)}` }, body],
    ["with a wrong CSRF token", good, `csrf=${"f".repeat(64)}`],
    ["without a CSRF token", good, ""],
    ["with another site's Origin", { ...good, Origin: "http://evil.example" }, body],
    ["with another port's Origin", { ...good, Origin: "http://127.0.0.1:1" }, body],
    ["without an Origin", { ...good, Origin: undefined }, body],
    ["with a rebound Host (DNS rebinding)", { ...good, Host: `evil.example:${PORT}` }, body],
    ["as a GET", { ...good, method: "GET" }, undefined],
  ];
  for (const [what, headers, b] of cases) {
    const status = await post(path, headers, b);
    check(status >= 400 && status < 500 && info(name).state === "RUNNING",
      `refused ${what} (${status}), the sandbox still RUNNING`);
  }
  check(await post(path, good, body) === 200 && info(name).state === "FROZEN",
    "the same request done right freezes it (the control)");
  check(await post(`/sandbox/${name}/thaw`, good, body) === 200 && info(name).state === "RUNNING",
    "and thaws it");
  const nosession = await browser.createBrowserContext();
  const stranger = await nosession.newPage();
  const res = await stranger.goto(`${BASE}/`, { waitUntil: "load" });
  check(res.status() === 403 && !(await stranger.$("#sandboxes")),
    "a browser without the session gets no table");
  const again = await stranger.goto(LOGIN_URL, { waitUntil: "load" });
  check(again.status() === 403, "the secret URL does not log in a second time");
  await shot(stranger, "refused");
}

// Names and commands are shown as text: a command holding markup stays
// text both in the server's page and in rows the live table adds.
async function escaping(browser) {
  const name = env.SANDBOX;
  const payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
  const page = await login(browser);
  check(await page.evaluate((p) => {
    const d = document.createElement("div");
    d.innerHTML = p;
    return d.querySelector("img") !== null;
  }, payload), "the payload is markup when inserted as HTML (the control)");
  hutch("run", "--detach", "--name", name, "--", "sh", "-c", `sleep 300 # ${payload}`);
  await page.waitForSelector(`#sandboxes tr[data-name="${name}"]`, { timeout: 10000 });
  await waitCommand(page, name);
  const live = await cellText(page, name, "command");
  check(live.includes(payload), "a row added live shows the command as text");
  for (const where of ["/", `/sandbox/${name}`]) {
    await page.goto(`${BASE}${where}`, { waitUntil: "load" });
    const r = await page.evaluate(() => ({
      imgs: document.querySelectorAll("img").length,
      scripts: document.querySelectorAll("script").length,
      pwned: window.pwned,
      text: document.body.textContent,
    }));
    check(r.imgs === 0 && r.scripts === 1 && r.pwned === undefined && r.text.includes(payload),
      `${where}: the command is text, no element was injected`);
  }
  hutch("stop", "--timeout", "2", name);
}

// Every page at 320 px: nothing wider than the screen; screenshots of each.
async function narrow(browser) {
  const name = env.SANDBOX;
  const page = await login(browser);
  await page.setViewport({ width: 320, height: 640 });
  const pages = [["/", "sandboxes-320"], [`/sandbox/${name}`, "sandbox-320"], ["/launch", "launch-320"],
    ["/profiles", "profiles-320"], ["/profiles/default", "profile-320"], ["/images", "images-320"],
    [`/launch?profile=${env.LONG}`, "launch-long-320"], [`/profiles/${env.LONG}`, "profile-long-320"]];
  for (const [path, shotName] of pages) {
    await page.goto(`${BASE}${path}`, { waitUntil: "load" });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 320, `${path} fits 320 px (${width} px wide)`);
    await shot(page, shotName);
  }
}

const scenarios = {
  lifecycle, launch, "broken-profile": brokenProfile, images, "debian-cancel": debianCancel,
  refusals, escaping, narrow, opened,
};
const scenario = scenarios[process.argv[2]];
if (!scenario) {
  console.error(`usage: node browser.mjs ${Object.keys(scenarios).join("|")}`);
  process.exit(2);
}
const browser = await puppeteer.launch({
  executablePath: env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  userDataDir: env.PROFILE_DIR,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  await scenario(browser);
} catch (e) {
  check(false, `${process.argv[2]}: ${e.stack || e}`);
} finally {
  await browser.close();
}
console.log(`${failures} failed`);
process.exit(failures ? 1 : 0);
