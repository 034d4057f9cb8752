"""Web enrichment benchmark (not a test): `builder run-profile` with the web steps on N
establishments whose sites are served by a local fixture proxy that answers every request in
100 ms (scripts/bench-web.sh runs it).

The fixture: one loopback server acting as the HTTP proxy for every host (`CONNECT host:443`,
then TLS with a certificate for that host signed by a CA made at start, then HTTP/1.1 keep-alive).
Establishment i is named "EXPERTISE DURAND <i>"; every host whose name holds its 5-digit number
is its site: a home page linking to its legal notice (its SIREN, a phone number) and to its
contact page (an e-mail address; with --layout legal-page, the legal notice gives it too);
robots.txt is 404. Other hosts get 502, as a proxy that cannot
reach them would. Every answer waits 100 ms.

Prints the establishments per second of the run (wall time of the whole process), its peak
resident memory (wait4, through bench_measure), the requests the fixture served, the sites
verified and the contacts found, then the same run again offline (from the cache).
"""
import argparse
import csv
import datetime
import json
import os
import re
import shutil
import socket
import socketserver
import ssl
import sys
import tempfile
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_measure import measure  # noqa: E402

DELAY = 0.1


class Authority:
    """A test CA, and a TLS context per host signed by it, made on first use."""

    def __init__(self, directory):
        self.directory = directory
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "builder bench CA")])
        now = datetime.datetime.now(datetime.timezone.utc)
        self.name = name
        self.certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
                            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
                            .sign(self.key, hashes.SHA256()))
        self.ca_file = os.path.join(directory, "ca.pem")
        with open(self.ca_file, "wb") as handle:
            handle.write(self.certificate.public_bytes(serialization.Encoding.PEM))
        self.contexts = {}
        self.lock = threading.Lock()

    def context(self, host):
        with self.lock:
            if host in self.contexts:
                return self.contexts[host]
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        certificate = (x509.CertificateBuilder()
                       .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])).issuer_name(self.name)
                       .public_key(key.public_key()).serial_number(x509.random_serial_number())
                       .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
                       .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
                       .sign(self.key, hashes.SHA256()))
        path = os.path.join(self.directory, host + ".pem")
        with open(path, "wb") as handle:
            handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
            handle.write(certificate.public_bytes(serialization.Encoding.PEM))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(path)
        context.set_alpn_protocols(["http/1.1"])
        with self.lock:
            self.contexts[host] = context
        return context


class Fixture:
    def __init__(self, companies, authority, layout):
        self.companies = companies  # "00042" -> (siren, name, number)
        self.layout = layout
        self.authority = authority
        self.requests = 0
        self.lock = threading.Lock()

    def company(self, host):
        match = re.search(r"(\d{5})", host)
        return self.companies.get(match.group(1)) if match else None

    def page(self, host, path):
        company = self.company(host)
        if company is None:
            return 404, ""
        siren, name, number = company
        spaced = f"{siren[0:3]} {siren[3:6]} {siren[6:9]}"
        if path == "/":
            return 200, (f"<html><head><title>{name}</title></head><body><h1>{name}</h1><p>Experts-comptables.</p>"
                         '<a href="/mentions-legales">Mentions légales</a> <a href="/contact">Contact</a></body></html>')
        if path == "/mentions-legales":
            return 200, (f"<html><body><h1>Mentions légales</h1><p>{name}, SAS au capital de 10 000 euros, "
                         f"RCS Lyon {spaced}. Tél. : 04 72 {number // 100 % 100:02d} {number % 100:02d} 10"
                         + (f". Contact : contact@{host}" if self.layout == "legal-page" else "") + "</p></body></html>")
        if path == "/contact":
            return 200, f"<html><body><p>Écrivez-nous : contact@{host}</p></body></html>"
        return 404, ""


def handler(fixture):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            connection = self.request
            reader = connection.makefile("rb")
            request = reader.readline().decode("latin-1").split()
            while reader.readline() not in (b"\r\n", b"\n", b""):
                pass
            if len(request) < 2 or request[0] != "CONNECT":
                connection.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                return
            host, _, port = request[1].rpartition(":")
            if fixture.company(host) is None or port != "443":
                connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            try:
                tls = fixture.authority.context(host).wrap_socket(connection, server_side=True)
            except (ssl.SSLError, OSError):
                return
            stream = tls.makefile("rb")
            while True:
                try:
                    line = stream.readline()
                except (ssl.SSLError, OSError):
                    return
                if not line:
                    return
                parts = line.decode("latin-1").split()
                while stream.readline() not in (b"\r\n", b"\n", b""):
                    pass
                time.sleep(DELAY)
                status, body = fixture.page(host, parts[1] if len(parts) > 1 else "/")
                data = body.encode()
                with fixture.lock:
                    fixture.requests += 1
                head = (f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}\r\n"
                        f"Content-Type: text/html; charset=utf-8\r\nContent-Length: {len(data)}\r\n\r\n")
                try:
                    tls.sendall(head.encode() + data)
                except (ssl.SSLError, OSError):
                    return
    return Handler


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--builder", required=True)
    parser.add_argument("--establishments", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=None, help="http.concurrency (default: builder's)")
    parser.add_argument("--verbose", action="store_true", help="print builder's progress lines (--verbose)")
    parser.add_argument("--layout", choices=["contact-page", "legal-page"], default="contact-page",
                        help="where the e-mail address is: on the contact page only (4 requests per site: robots.txt, "
                             "home, legal notice, contact), or on the legal notice too (3: the contact page is not needed)")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="bench-web-")
    authority = Authority(work)
    companies = {}
    with open(os.path.join(work, "stock.csv"), "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["siren", "siret", "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement",
                         "etatAdministratifEtablissement", "denominationUsuelleEtablissement", "codePostalEtablissement",
                         "codeCommuneEtablissement", "etablissementSiege"])
        for number in range(1, args.establishments + 1):
            siren = f"{800000000 + number * 7:09d}"
            name = f"EXPERTISE DURAND {number:05d}"
            companies[f"{number:05d}"] = (siren, name, number)
            writer.writerow([siren, siren + "00017", "69.20Z", "NAFRev2", "A", name, "69002", "69382", "true"])
    fixture = Fixture(companies, authority, args.layout)
    server = Server(("127.0.0.1", 0), handler(fixture))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    http = {"proxy": f"http://127.0.0.1:{port}", "ca_file": authority.ca_file, "cache_dir": os.path.join(work, "cache"),
            "contact_url": "https://example.org/bench"}
    if args.concurrency:
        http["concurrency"] = args.concurrency
    job = {"niche": "bench", "filters": {"naf_include": ["6920Z"]}, "profile": "standard",
           "steps": ["dumps.collect", "normalize.standardize", "quality.checks", "quality.dedupe", "enrich.website",
                     "enrich.contacts", "quality.score", "package.export"],
           "http": http}
    with open(os.path.join(work, "job.yaml"), "w") as handle:
        json.dump(job, handle)

    def run(label, *extra):
        out = os.path.join(work, label)
        result = measure([args.builder, "run-profile", "--job", os.path.join(work, "job.yaml"),
                          "--input", os.path.join(work, "stock.csv"), "--out", out, *extra])
        if result.status != 0:
            raise SystemExit(f"builder failed ({result.status}):\n{result.stderr}")
        if args.verbose:
            print("\n".join(line for line in result.stderr.splitlines() if ": enrich." in line and "/s" in line))
        manifest = json.load(open(os.path.join(out, "manifest.json")))
        steps = {step["name"]: step for step in manifest["steps"]}
        website, contacts = steps["enrich.website"]["web"], steps["enrich.contacts"]["web"]
        rate = args.establishments / result.wall
        print(f"{label:8} {args.establishments} establishments in {result.wall:.1f} s: {rate:.1f} establishments/s, "
              f"peak RSS {result.peak_rss / 2**20:.0f} MB; verified {sum(website['sites_verified'].values())}, "
              f"e-mails {contacts['emails']}, phones {contacts['telephones']}; "
              f"requests {website['http']['requests'] + contacts['http']['requests']}, "
              f"cache hits {website['http']['cache_hits'] + contacts['http']['cache_hits']}, "
              f"errors {website['http']['errors']} {contacts['http']['errors']}")
        return result

    print(f"load average: {os.getloadavg()}; cores: {os.cpu_count()}; layout: {args.layout}")
    verbose = ["--verbose"] if args.verbose else []
    run("online", *verbose)
    served = fixture.requests
    print(f"         the fixture served {served} requests")
    run("offline", "--offline", *verbose)
    print(f"         the fixture served {fixture.requests - served} requests offline")
    server.shutdown()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
