"""The reports as a browser shows them: builder writes a niche's and a batch's report.html, headless
Chromium (Debian's `chromium`, installed by scripts/install-deps.sh) opens each from disk through
the DevTools protocol, and the test checks that the page rendered without a console error or a
request leaving the file, that the map has one mark per département (or dot, or density cell) of
the dataset, that the funnel's numbers are the manifest's and the batch's overlaps the datasets'.
Full-page screenshots are kept in .build/report-screenshots/ (CI artefacts)."""
import base64
import collections
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import time
import urllib.request

import pyarrow.parquet as pq
import pytest
import websocket

from conftest import ROOT

SCREENSHOTS = ROOT / ".build" / "report-screenshots"


class Browser:
    """Headless Chromium driven over the DevTools protocol (one page)."""

    def __init__(self):
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        assert binary, "chromium is not installed: run scripts/install-deps.sh"
        self.profile = tempfile.mkdtemp(prefix="report-chromium-")
        self.process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--remote-debugging-port=0",
             "--remote-allow-origins=*", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        port_file = pathlib.Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            assert self.process.poll() is None, f"chromium exited: {self.process.stderr.read()}"
            assert time.monotonic() < deadline, "chromium did not open its DevTools port"
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        deadline = time.monotonic() + 10
        while True:
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5))
                page = next(t for t in targets if t["type"] == "page")
                break
            except (OSError, StopIteration):
                assert time.monotonic() < deadline, "no page target in chromium"
                time.sleep(0.1)
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.events = []
        for method in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
            self.call(method)
        self.call("Emulation.setDeviceMetricsOverride", width=1200, height=900, deviceScaleFactor=1, mobile=False)

    def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == ident:
                assert "error" not in message, f"{method}: {message['error']}"
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, event, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index, message in enumerate(self.events):
                if message["method"] == event:
                    del self.events[index]
                    return message
            self.events.append(json.loads(self.socket.recv()))
        raise AssertionError(f"no {event} within {timeout} s")

    def open(self, path):
        """Loads `path`; returns the console errors and the URLs requested."""
        self.events.clear()
        self.call("Page.navigate", url=path.as_uri())
        self.wait_for("Page.loadEventFired")
        self.evaluate("document.fonts.ready.then(() => true)")
        errors = []
        for message in self.events:
            params = message.get("params", {})
            if message["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                errors.append(params)
            elif message["method"] == "Runtime.exceptionThrown":
                errors.append(params)
            elif message["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
                errors.append(params["entry"])
        requests = [m["params"]["request"]["url"] for m in self.events if m["method"] == "Network.requestWillBeSent"]
        return errors, requests

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def screenshot(self, name):
        metrics = self.call("Page.getLayoutMetrics")["cssContentSize"]
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": metrics["width"], "height": metrics["height"], "scale": 1})["data"]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / name
        target.write_bytes(base64.b64decode(data))
        return target

    def close(self):
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    instance = Browser()
    yield instance
    instance.close()


@pytest.fixture(scope="module")
def runs(builder, tmp_path_factory):
    """A sample stock, one niche (run-profile) and a batch of two overlapping niches."""
    work = tmp_path_factory.mktemp("reports")
    subprocess.run([builder, "sample-data", "--rows", "6000", "--out", "stock.parquet", "--seed", "11"],
                   cwd=work, check=True, capture_output=True)
    subprocess.run([builder, "create-job", "job.yaml", "--naf", "43"], cwd=work, check=True, capture_output=True)
    subprocess.run([builder, "run-profile", "--job", "job.yaml", "--input", "stock.parquet", "--out", "niche"],
                   cwd=work, check=True, capture_output=True)
    subprocess.run([builder, "batch", "--naf", "43", "--naf", "4329A", "--input", "stock.parquet", "--output-dir", "batch"],
                   cwd=work, check=True, capture_output=True)
    # The same niche with coordinates (made up by a Lua step), in English: a dot per establishment.
    (work / "coordinates.lua").write_text(COORDINATES_STEP)
    job = (work / "job.yaml").read_text().replace('lang: "fr"', 'lang: "en"')
    job = job.replace('profile: "quick"', 'profile: "quick"\nsteps: [dumps.collect, normalize.standardize, quality.checks, '
                      'quality.dedupe, quality.score, {lua: "coordinates.lua"}, package.export]')
    (work / "coordinates.yaml").write_text(job)
    subprocess.run([builder, "run-profile", "--job", "coordinates.yaml", "--input", "stock.parquet", "--out", "points"],
                   cwd=work, check=True, capture_output=True)
    return work


# Coordinates from the SIRET: one row in ten without, one in ten in La Réunion, one in ten in
# Saint-Pierre-et-Miquelon (not drawn), the others spread over metropolitan France.
COORDINATES_STEP = """
return {
  name = "test.coordinates",
  summary = "made-up coordinates",
  columns = {{name = "latitude", type = "number"}, {name = "longitude", type = "number"}},
  reads = {"siret"},
  row = function(row)
    local n = tonumber((row.siret or ""):sub(1, 9)) or 0
    local kind = n % 10
    if kind == 0 then return end
    if kind == 1 then row.latitude, row.longitude = -21.1 + (n % 30) / 100, 55.3 + (n % 40) / 100
    elseif kind == 2 then row.latitude, row.longitude = 46.8, -56.2
    else row.latitude, row.longitude = 43.5 + (n * 37 % 500) / 100, -0.5 + (n * 91 % 700) / 100 end
  end,
}
"""


def page_checks(browser, path, screenshot):
    errors, requests = browser.open(path)
    assert errors == []
    assert requests and all(url.startswith("file://") for url in requests), requests
    shot = browser.screenshot(screenshot)
    assert shot.stat().st_size > 10_000
    # Rendered: laid out with a size, headings present.
    assert browser.evaluate("document.body.getBoundingClientRect().height") > 800
    assert browser.evaluate("document.querySelectorAll('h2').length") >= 3


def test_niche_report_renders_with_its_map_and_funnel(browser, runs):
    out = runs / "niche"
    page_checks(browser, out / "report.html", "niche.png")
    manifest = json.loads((out / "manifest.json").read_text())
    counts = manifest["counts"]

    funnel = browser.evaluate("[...document.querySelectorAll('svg.funnel .funnel-stage')].map(g => +g.dataset.count)")
    # Read, the rows left by each filter of the scan that removed some but the last, matched.
    expected, left = [counts["rows_read"]], counts["rows_read"]
    for removed in [value for value in counts["removed_by_filter"].values() if value > 0][:-1]:
        left -= removed
        expected.append(left)
    expected.append(counts["rows_matched"])
    expected += [step["rows_out"] for step in manifest["steps"]
                 if step["name"] not in ("dumps.collect", "package.export") and step["status"] == "done"
                 and step["rows_out"] != step["rows_in"]]
    expected.append(counts["rows_exported"])
    assert funnel == expected

    map_info = browser.evaluate("""(() => {
        const svg = document.querySelector('svg.map');
        const box = svg.getBoundingClientRect();
        const marks = [...svg.querySelectorAll('.mark')];
        return {mode: svg.dataset.mode, width: box.width, unmapped: +svg.dataset.unmapped,
                drawn: [...svg.querySelectorAll('path.dep')].map(p => p.dataset.code),
                marks: marks.map(m => [m.dataset.code || null, +m.dataset.count])};
    })()""")
    assert map_info["mode"] == "departements" and map_info["width"] > 300
    departements = pq.read_table(out / "dataset.parquet", columns=["departement"]).column(0).to_pylist()
    drawn = set(map_info["drawn"])
    assert len(drawn) == 101
    on_map = collections.Counter(code for code in departements if code in drawn)
    # One mark per département holding establishments, with their number.
    assert dict(map_info["marks"]) == dict(on_map)
    assert map_info["unmapped"] == len(departements) - sum(on_map.values())
    assert len(departements) == manifest["rows"] > 100


def test_points_map_has_a_dot_per_establishment_placed(browser, runs):
    out = runs / "points"
    page_checks(browser, out / "report.html", "niche-points.png")
    assert browser.evaluate("document.documentElement.lang") == "en"
    info = browser.evaluate("""(() => {
        const svg = document.querySelector('svg.map');
        return {mode: svg.dataset.mode, unmapped: +svg.dataset.unmapped,
                dots: svg.querySelectorAll('circle.mark').length, marks: svg.querySelectorAll('.mark').length,
                inside: [...svg.querySelectorAll('circle.mark')].every(c => {
                    const x = +c.getAttribute('cx'), y = +c.getAttribute('cy');
                    return x >= 0 && y >= 0 && x <= 720 && y <= 600; })};
    })()""")
    table = pq.read_table(out / "dataset.parquet", columns=["latitude", "longitude"])
    latitudes, longitudes = table.column(0).to_pylist(), table.column(1).to_pylist()
    placed = sum(1 for lat, lon in zip(latitudes, longitudes)
                 if lat is not None and lon is not None and not (lat == 46.8 and lon == -56.2))
    assert info["mode"] == "points" and info["inside"]
    assert info["dots"] == info["marks"] == placed > 100
    assert info["unmapped"] == len(latitudes) - placed > 0


def test_batch_report_renders_with_links_and_overlaps(browser, runs):
    out = runs / "batch"
    page_checks(browser, out / "report.html", "batch.png")
    rows = browser.evaluate("[...document.querySelectorAll('tr.niche')].map(r => [r.dataset.niche, +r.dataset.rows])")
    manifests = {niche: json.loads((out / niche / "manifest.json").read_text()) for niche in ("naf_43", "naf_4329A")}
    assert rows == [[niche, manifests[niche]["rows"]] for niche in ("naf_43", "naf_4329A")]
    links = browser.evaluate("[...document.querySelectorAll('tr.niche a')].map(a => a.href)")
    assert links == [(out / niche / "report.html").as_uri() for niche in ("naf_43", "naf_4329A")]
    sirets = {niche: set(pq.read_table(out / niche / "dataset.parquet", columns=["siret"]).column(0).to_pylist())
              for niche in ("naf_43", "naf_4329A")}
    shared = browser.evaluate("[...document.querySelectorAll('tr.overlap')].map(r => +r.dataset.shared)")
    assert shared == [len(sirets["naf_43"] & sirets["naf_4329A"])] and shared[0] > 0
    # The link opens the niche's report, which renders too.
    page_checks(browser, out / "naf_4329A" / "report.html", "batch-naf_4329A.png")
