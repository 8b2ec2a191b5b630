import { readFileSync } from "node:fs";
import * as path from "node:path";

/** The console's page: plain HTML, its style sheet, and its script (compiled from browser/console.ts by the build). */
export const PAGE_HTML: string = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ECS emulator console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/_emulator/console/console.css">
<script type="module" src="/_emulator/console/console.js"></script>
</head>
<body>
<header>
  <h1>ECS emulator console</h1>
  <p id="connection" role="status" aria-live="polite">connecting…</p>
</header>
<main>
<section aria-labelledby="world-title">
  <h2 id="world-title">World</h2>
  <p><label for="filter">Filter IDs</label> <input id="filter" type="search" placeholder="i-…, eni-…, sg-…, vpc-…" autocomplete="off">
    <span id="world-summary"></span></p>
  <div class="scroll"><table id="matrix"><caption>Targets (rows) in security groups (columns): a button per cell adds or removes the membership</caption><thead></thead><tbody></tbody></table></div>
  <p class="pager"><button type="button" id="prev-page">Previous page</button> <span id="page-info"></span> <button type="button" id="next-page">Next page</button></p>
  <h3>Security groups</h3>
  <div class="scroll"><table id="groups"><thead><tr><th scope="col">Group</th><th scope="col">Name</th><th scope="col">VPC</th><th scope="col">Type</th><th scope="col">Members</th></tr></thead><tbody></tbody></table></div>
</section>
<section aria-labelledby="requests-title">
  <h2 id="requests-title">Requests</h2>
  <p><label for="action-filter">Action</label> <select id="action-filter"><option value="">all</option></select>
    <label for="outcome-filter">Outcome</label> <select id="outcome-filter">
      <option value="">all</option><option value="ok">ok</option><option value="error">error</option>
      <option value="fault">fault</option><option value="throttled">throttled</option><option value="quota">refused by a quota</option><option value="conflict">conflict</option>
    </select></p>
  <div class="scroll"><table id="counters"><caption>Calls per action</caption><thead><tr><th scope="col">Action</th><th scope="col">Calls</th><th scope="col">Errors</th><th scope="col">Throttled</th></tr></thead><tbody></tbody></table></div>
  <div class="scroll log"><table id="log"><caption>Recent calls, newest first</caption><thead><tr><th scope="col">Time</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Group</th><th scope="col">Key</th><th scope="col">Signature</th><th scope="col">Answer</th><th scope="col">HTTP</th><th scope="col">ms</th><th scope="col">Rule</th></tr></thead><tbody></tbody></table></div>
</section>
<section aria-labelledby="faults-title">
  <h2 id="faults-title">Faults and quotas</h2>
  <p id="rules-summary"></p>
  <div class="scroll"><table id="rules"><caption>Fault rules in force, checked in order</caption><thead><tr><th scope="col">#</th><th scope="col">Action</th><th scope="col">Kind</th><th scope="col">Code</th><th scope="col">Probability</th><th scope="col">Times left</th><th scope="col">Target</th><th scope="col">Latency ms</th></tr></thead><tbody></tbody></table></div>
  <form id="add-rule">
    <fieldset><legend>Add a fault rule</legend>
    <label>Action <input name="action" value="*" required></label>
    <label>Kind <select name="kind">
      <option>throttling</option><option>timeout</option><option>server-error</option><option>unavailable</option><option>latency</option>
      <option>drop</option><option>bad-gateway</option><option>timeout-after-apply</option><option>drop-after-apply</option><option>timeout-then-apply</option>
    </select></label>
    <label>Code <input name="code" placeholder="Throttling"></label>
    <label>Probability <input name="probability" type="number" min="0" max="1" step="any" placeholder="1"></label>
    <label>Times <input name="times" type="number" min="0" step="1" placeholder="unlimited"></label>
    <label>Target <input name="target" placeholder="any"></label>
    <label>Latency ms <input name="latencyMs" type="number" min="0" step="1"></label>
    <label>Apply after ms <input name="applyAfterMs" type="number" min="0" step="1"></label>
    <button type="submit">Add rule</button> <button type="button" id="clear-rules">Clear all rules</button>
    </fieldset>
  </form>
  <h3>Quotas</h3>
  <p id="quota-summary"></p>
  <div class="scroll"><table id="quotas"><caption>Quotas in force</caption><thead><tr><th scope="col">Action</th><th scope="col">Calls per window</th><th scope="col">Change</th></tr></thead><tbody></tbody></table></div>
  <form id="set-quota">
    <fieldset><legend>Set a quota</legend>
    <label>Action <select name="action" id="quota-action" required></select></label>
    <label>Calls per window <input name="calls" type="number" min="0" step="1" required></label>
    <label>Window ms <input name="windowMs" id="quota-window" type="number" min="100" step="1"></label>
    <button type="submit">Set quota</button> <button type="button" id="clear-quotas">Clear all quotas</button>
    </fieldset>
  </form>
  <h3>World settings</h3>
  <dl id="settings"></dl>
  <p id="message" role="alert"></p>
</section>
</main>
</body>
</html>
`;

export const PAGE_CSS: string = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 1rem 2rem; color: #111; background: #fff; }
header { display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; } h3 { font-size: 1rem; }
.scroll { overflow: auto; max-width: 100%; }
.log { max-height: 24rem; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #bbb; padding: .15rem .4rem; text-align: left; white-space: nowrap; }
thead th { background: #eee; position: sticky; top: 0; }
#matrix tbody th { background: #fff; position: sticky; left: 0; }
td.cell { text-align: center; padding: 0; }
td.cell button { width: 100%; min-width: 2.2rem; border: 0; background: transparent; font: inherit; padding: .15rem; cursor: pointer; }
td.member button { background: #cde8cd; font-weight: 700; }
td.elsewhere { background: #f4f4f4; color: #888; }
button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #1a56db; outline-offset: 1px; }
tr.failed td { background: #fde2e2; } tr.faulted td { background: #fff0c2; }
.status-Running { color: #0a6b0a; } .status-Stopped { color: #a11; } .status-Pending, .status-Starting, .status-Stopping { color: #8a5a00; }
fieldset { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; border: 1px solid #bbb; }
fieldset label { display: flex; flex-direction: column; font-size: .9rem; }
#message { color: #a11; min-height: 1.4em; }
dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0 1rem; } dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
`;

let script: string | undefined;

/** Read once, from beside this module: dist/emulator/console/static/browser/console.js (an ES module, for the page). */
export function pageScript(): string {
  script ??= readFileSync(path.join(__dirname, "static", "browser", "console.js"), "utf8");
  return script;
}
