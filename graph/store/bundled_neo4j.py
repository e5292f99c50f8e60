"""The bundled Neo4j: Neo4j 5.26 community, embedded in a small Java program with Bolt on.

The Maven project ships with the package (``graph/neo4j_server``). On first use it is copied to
a per-user cache folder keyed by a hash of its sources and built there with Maven (Java 17 and
Maven needed; dependencies come from Maven Central), so a source checkout stays clean and a
rebuild happens only when the sources change. The server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from importlib import resources
from pathlib import Path
from types import TracebackType

from aimsgraph.ontology import ConfigError, StoreUnavailableError

__all__ = ["BundledNeo4j", "build_server", "free_port"]

log = logging.getLogger(__name__)

MAIN_CLASS = "org.aimsgraph.neo4j.EmbeddedServer"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sources() -> Path:
    return Path(str(resources.files("aimsgraph.graph").joinpath("neo4j_server")))


def _cache_root() -> Path:
    import platformdirs  # only when no data folder is configured

    return Path(os.environ.get("AIMSGRAPH_NEO4J_BUILD_DIR")
                or platformdirs.user_cache_dir("aimsgraph")) / "neo4j-server"


def _fingerprint(source: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in source.rglob("*") if p.is_file() and "target" not in p.parts):
        digest.update(file.relative_to(source).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _tool(name: str, hint: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ConfigError(f"the bundled Neo4j needs {name} on PATH ({hint})")
    return found


def build_server() -> str:
    """Build the bundled server if needed; returns the Java classpath that runs it."""
    source = _sources()
    target_dir = _cache_root() / _fingerprint(source)
    jar, lib = target_dir / "target" / "aimsgraph-neo4j.jar", target_dir / "target" / "lib"
    if not jar.exists():
        mvn = _tool("mvn", "Apache Maven 3.8 or later")
        _tool("java", "a Java 17 runtime")
        staging = target_dir.with_name(target_dir.name + f".build-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(source, staging, ignore=shutil.ignore_patterns("target"))
        log.info("building the bundled Neo4j in %s (first use)", staging)
        done = subprocess.run([mvn, "-B", "-q", "package", "-DskipTests"], cwd=staging,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise ConfigError(f"building the bundled Neo4j failed:\n{tail}")
        if target_dir.exists():
            shutil.rmtree(staging, ignore_errors=True)
        else:
            staging.rename(target_dir)
    return f"{jar}{os.pathsep}{lib}/*"


def default_heap() -> str:
    """A heap for a server on this machine: a quarter of its memory, from 1 GB to 8 GB."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "1g"
    return f"{min(8, max(1, memory // 4 // 2**30))}g"


#: Garbage collectors: the serial one for small test servers (one thread, least memory), G1
#: for a server that holds a large graph (Java's default for servers).
COLLECTORS = {"serial": "-XX:+UseSerialGC", "g1": "-XX:+UseG1GC"}


class BundledNeo4j:
    """A running bundled Neo4j; start with :meth:`start` or as a context manager."""

    def __init__(self, data_dir: Path, port: int | None = None, password: str | None = None,
                 page_cache: str = "256m", heap: str = "1g", collector: str = "serial") -> None:
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.password = password
        self.page_cache = page_cache
        self.heap = heap
        if collector not in COLLECTORS:
            raise StoreUnavailableError(f"unknown collector '{collector}'; collectors: "
                                        f"{', '.join(COLLECTORS)}")
        self.collector = collector
        self.process: subprocess.Popen[str] | None = None
        self.output: list[str] = []

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def start(self, timeout: float = 180.0) -> str:
        """Start the server and wait until it accepts Bolt connections; returns its URI."""
        classpath = build_server()
        java = _tool("java", "a Java 17 runtime")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [java, f"-Xmx{self.heap}", COLLECTORS[self.collector], "-cp", classpath,
                   MAIN_CLASS,
                   "--port", str(self.port), "--data-dir", str(self.data_dir),
                   "--page-cache", self.page_cache]
        if self.password:
            command += ["--password", self.password]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        ready = threading.Event()
        threading.Thread(target=self._pump, args=(ready,), daemon=True).start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = "\n".join(self.output[-20:])
                raise StoreUnavailableError(f"the bundled Neo4j did not start on {self.uri}:\n"
                                            f"{tail}")
        return self.uri

    def _pump(self, ready: threading.Event) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line.rstrip())
            del self.output[:-200]
            if line.startswith("READY "):
                ready.set()

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the server cleanly (SIGTERM, then SIGKILL after ``timeout`` seconds)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def wait(self) -> int:
        """Block until the server exits; returns its exit code."""
        assert self.process is not None
        return self.process.wait()

    def __enter__(self) -> BundledNeo4j:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
